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
 * Opens the URL with the desktop's opener (`xdg-open`, `open` on macOS, `start` on Windows) and
 * also prints it, in case no browser shows up.
 *
 * @example
 * ```ts
 * await loginWithPkce({ ..., openBrowser: openSystemBrowser });
 * ```
 */
export const openSystemBrowser: OpenBrowser = (url) => {
  printAuthorizationUrl(url);
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
    // same: the URL is printed
  }
};
