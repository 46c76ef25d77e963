import { DefaultWorkspaceManager, type BuildOptions } from 'langium';

/**
 * Validates every `.sipflow` file of the workspace at start-up, not only the open ones, so that the
 * Problems panel lists a broken file before anyone opens it (Langium only links them by default).
 */
export class SipflowWorkspaceManager extends DefaultWorkspaceManager {
    override initialBuildOptions: BuildOptions = { validation: true };
}
