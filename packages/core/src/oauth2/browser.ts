import { spawn } from "node:child_process";

/** Shows the user the authorization URL: prints it, opens a browser, or (in tests) plays the browser. */
export type OpenBrowser = (url: string) => void | Promise<void>;

/**
 * The default: print the URL on stderr for the user to open (works over SSH and in containers).
 *
 * @example
 * ```ts
 * await loginWithPkce({ ..., openBrowser: printAuthorizationUrl });
 * ```
 */
export const printAuthorizationUrl: OpenBrowser = (url) => {
  process.stderr.write(`\nOpen this URL in a browser to log in to DHIS2:\n\n  ${url}\n\n`);
};

/**
 * Hands the URL to the desktop's opener (`xdg-open`, `open` on macOS, `start` on Windows) and
 * prints nothing, for callers that show the URL themselves (the `d2w` CLI prints it on its own
 * stderr). A missing opener is not an error: the caller has shown the URL.
 *
 * @example
 * ```ts
 * await loginWithPkce({ ..., openBrowser: (url) => { log(url); openWithDesktop(url); } });
 * ```
 */
export function openWithDesktop(url: string): void {
  const [cmd, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", "", url]]
        : ["xdg-open", [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: "ignore", detached: true });
    child.on("error", () => undefined); // no opener installed: the printed URL is enough
    child.unref();
  } catch {
    // same: the URL was shown
  }
}

/**
 * Prints the URL (in case no browser shows up) and opens it with the desktop's opener.
 *
 * @example
 * ```ts
 * await loginWithPkce({ ..., openBrowser: openSystemBrowser });
 * ```
 */
export const openSystemBrowser: OpenBrowser = (url) => {
  printAuthorizationUrl(url);
  openWithDesktop(url);
};
