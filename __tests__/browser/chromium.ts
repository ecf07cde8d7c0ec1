/**
 * Finding and starting the system's Chromium (Debian's `chromium` package) for the browser tests:
 * no browser is downloaded at install time, which cannot work on this project's machines.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "puppeteer-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** CHROMIUM_PATH, else a known path, else what `which` finds; undefined when there is none. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  for (const candidate of CANDIDATES) if (fs.existsSync(candidate)) return candidate;
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const found = execFileSync("which", [name], { encoding: "utf8" }).trim();
      if (found) return found;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

export const INSTALL_HINT = "install it with `apt-get install -y chromium` (Debian) or set CHROMIUM_PATH to a Chromium or Chrome binary";

/**
 * Headless, sandbox off (CI runs as root), and without the background networking that this
 * machine's closed network refuses connection by connection.
 */
export async function launch(executablePath: string): Promise<{ browser: Browser; close(): Promise<void> }> {
  const puppeteer = await import("puppeteer-core");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "msgraph-batching-chromium-"));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
