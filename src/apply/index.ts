/**
 * src/apply — everything that talks to the vendors on behalf of plan and apply.
 *
 *   const live = await readLiveState(desired, providers);
 *   const plan = computePlan(desired, live);                          // src/plan
 *   const result = await applyPlan(plan, providers, { concurrency, signal, onProgress, prune, env });
 *   process.stdout.write(renderApplyText(result, { color }));
 *   process.exitCode = result.ok ? 0 : 1;
 *
 * Saved plans: `applySavedPlan(parsePlanJson(text), providers, { sourceHash: sourceHashOf(texts), … })`
 * throws StalePlanError when the files or the live accounts changed since the plan was made.
 * A plan with conflicts throws PlanConflictError before any request.
 */
export { applyPlan } from './apply.js';
export { PlanConflictError, StalePlanError, StepPreconditionError } from './errors.js';
export { readLiveState, type Providers, type ReadLiveStateOptions } from './live.js';
export { renderApplyText, type ApplyRenderOptions } from './render.js';
export { applySavedPlan, checkSavedPlan, type SavedPlanCheck } from './saved.js';
export type { ApplyOptions, ApplyProgressEvent, ApplyResult, ApplyStatus, ApplyVerification, StepError, StepOutcome, StepStatus } from './types.js';
