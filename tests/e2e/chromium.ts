/**
 * Debian's Chromium, launched the way shared/browser.md measured to work here: WebGPU needs
 * --enable-unsafe-webgpu (SwiftShader adapter); never --disable-software-rasterizer.
 * Playwright cannot download its own browser on this machine.
 */
import { existsSync } from 'node:fs';

export function chromiumExecutable(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('Chromium not found: run `apt-get install -y chromium` (or set CHROMIUM_PATH)');
  return found;
}

export function chromiumLaunchOptions() {
  return {
    executablePath: chromiumExecutable(),
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  };
}
