/** `sipflow pull`: a `.sipflow` file from the live Dixa and Synthflow accounts. */
export { readPullSnapshot, type PullSnapshot } from './snapshot.js';
export { identifier, renderPulledConfiguration, type PullOptions, type PulledConfiguration } from './render.js';
export { pullReferenceOf, type PullReference, type WrittenDepartment } from './reference.js';
export { keepFileComments, NOT_READABLE_MARKER } from './keep-comments.js';
