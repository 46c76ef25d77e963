/** The manual checklist: what no API can do, with what can be verified by reading Dixa. */
export { buildChecklist } from './build.js';
export { readDixaEvidence, readSynthflowEvidence } from './read-evidence.js';
export { checklistSummary, renderChecklistMarkdown, renderChecklistText } from './render.js';
export type { Checklist, ChecklistItem, ChecklistStatus, ChecklistValue, DixaEvidence } from './types.js';
