/** `sipflow pull`: a `.sipflow` file from the live Dixa and Synthflow accounts. */
export { readPullSnapshot, type PullSnapshot } from './snapshot.js';
export { identifier, renderPulledConfiguration, type PullOptions, type PulledConfiguration } from './render.js';
