/**
 * Context keys the extension sets. Kept free of the `vscode` import so that tests of the manifest can read them.
 */

/**
 * True once a `.sipflow` document is open in this window. The walkthrough's first step completes on
 * `onContext:` this key: `onLanguage:` is no completion event VS Code knows.
 */
export const SIPFLOW_FILE_OPENED = 'sipflow.fileOpened';
