// The wire format of the DOM probe channel: the suite (extension host, suite/dom.ts) POSTs one JSON
// request to the launcher (run-code-server.ts), which runs it in the workbench page with playwright.

/** What to click: a CSS selector (first visible match), or an ARIA role and accessible name. */
export type DomTarget =
    | string
    | {
          readonly role: 'button' | 'link' | 'menuitem' | 'tab' | 'checkbox' | 'option' | 'treeitem';
          readonly name: string;
          /** Match the name exactly (default true). */
          readonly exact?: boolean;
          /** A CSS selector the element must be inside, e.g. `.monaco-dialog-box`. */
          readonly within?: string;
      };

export type DomRequest =
    | { readonly op: 'count'; readonly selector: string; readonly hasText?: string }
    | { readonly op: 'texts'; readonly selector: string; readonly hasText?: string }
    | { readonly op: 'click'; readonly target: DomTarget; readonly timeoutMs?: number }
    | { readonly op: 'evaluate'; readonly fnSource: string; readonly arg?: unknown }
    | { readonly op: 'inWebview'; readonly filter: string; readonly fnSource: string; readonly arg?: unknown }
    | { readonly op: 'showUi'; readonly enabled: boolean }
    | { readonly op: 'screenshot'; readonly name: string };

export type DomResponse = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };
