// Type-level checks, run by tsc in `npm run build` (not a vitest suite): the saved-plan schema's operation
// table must have an entry for every PlanOperation type, with exactly that operation's fields. If one of
// these @ts-expect-error lines stops being an error, the build fails.
import { OPERATION_FIELDS, type OperationFieldTable } from '../../src/plan/plan-schema.js';

const { 'dixa.createQueue': _dropped, ...withoutCreateQueue } = OPERATION_FIELDS;
// @ts-expect-error an operation type without an entry
export const missingEntry: OperationFieldTable = withoutCreateQueue;

// @ts-expect-error an entry with a field its operation does not have
export const extraField: OperationFieldTable = { ...OPERATION_FIELDS, 'dixa.createQueue': { name: {}, offerAlgorithm: {}, host: {} } };

// @ts-expect-error an entry lacking one of its operation's fields
export const missingField: OperationFieldTable = { ...OPERATION_FIELDS, 'dixa.createQueue': { name: {} } };

export const complete: OperationFieldTable = OPERATION_FIELDS;
