/**
 * src/plan — pure planning: desired state + live state → plan, and its renderings (text, JSON, Markdown).
 *
 *   const plan = computePlan(desired, live);       // live: see readLiveState in src/apply
 *   process.stdout.write(renderPlanText(plan, { styles: stylesFor(process.stdout) }));   // src/text/styles.ts
 *   await writeFile(out, renderPlanJson(plan, sources));   // a saved plan; parsePlanJson reads it back
 *
 * No I/O, no clock, no environment. JSON format: ./PLAN-FORMAT.md.
 */
export { computePlan, planIds, summarise, transferChanges } from './compute.js';
export { EMPTY_LIVE_STATE, fingerprintLiveState, liveSectionFingerprints, normaliseLiveState, type LiveState } from './live-state.js';
export { formatValue, manualWorkLine, renderPlanText, summaryLine, type ChecklistCounts, type PlanForText, type RenderOptions } from './render-text.js';
export { codeSpan, escapeMarkdown, renderPlanMarkdown, type MarkdownRenderOptions, type PlanForMarkdown } from './render-markdown.js';
export { contentHashOf, parsePlanJson, PlanFormatError, renderPlanJson, savedPlanOf } from './render-json.js';
export { dependencyProblem, OPERATION_FIELDS, savedPlanShapeProblem } from './plan-schema.js';
export {
    PLAN_FORMAT,
    PLAN_FORMAT_VERSION,
    type ActionRef,
    type FieldChange,
    type FieldValue,
    type Plan,
    type PlanItem,
    type PlanItemKind,
    type PlanOperation,
    type PlanResource,
    type PlanSummary,
    type PlanVendor,
    type SavedPlan,
    type SavedPlanSource,
} from './types.js';
