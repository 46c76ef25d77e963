/**
 * src/apply — everything that talks to the vendors on behalf of plan and apply.
 *
 *   const live = await readLiveState(desired, providers);
 *   const plan = computePlan(desired, live);                          // src/plan
 *   const result = await applyPlan(plan, providers, { concurrency, signal, onProgress, prune, env });
 *   process.stdout.write(renderApplyText(result, { styles: stylesFor(process.stdout) }));
 *   process.exitCode = result.ok ? 0 : 1;
 *
 * Saved plans: `checkSavedPlan(parsePlanJson(text), { desired, sources }, providers)` recomputes the plan
 * from the current files and live accounts and returns it when it equals the saved one; it throws
 * StalePlanError when the files or the live accounts changed, SavedPlanMismatchError when the items differ.
 * A plan with conflicts throws PlanConflictError before any request.
 */
export { applyPlan } from './apply.js';
export { AccountMismatchError, accountMismatchMessage, checkAccount, compareOrganization, guardAccount, type OrganizationVerdict } from './account-guard.js';
export { PlanConflictError, SavedPlanMismatchError, StalePlanError, StepPreconditionError } from './errors.js';
export { readLiveState, type Providers, type ReadLiveStateOptions } from './live.js';
export { describeStepError, renderApplyText, type ApplyRenderOptions } from './render.js';
export { applySavedPlan, checkSavedPlan, planDifference, type CurrentSources } from './saved.js';
export type { ApplyOptions, ApplyProgressEvent, ApplyResult, ApplyStatus, ApplyVerification, StepError, StepOutcome, StepStatus } from './types.js';
