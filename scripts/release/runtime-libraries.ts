/**
 * The Node runtime a release ships must need nothing a department's server
 * lacks: only the C and C++ runtime every Linux has. A distribution's own
 * node (Debian's, Kylin's) links the system's libnode, OpenSSL, ICU or libuv
 * and would fail to start on a server with other versions of them; the
 * official builds from nodejs.org link these in.
 */
import { execFileSync } from 'node:child_process';

/** The libraries every glibc Linux has. */
const BASE = /^(linux-vdso|linux-gate|ld-linux[\w.-]*|libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|libatomic)\.so/;

/** Shared libraries in `ldd` output that are not part of every system. */
export function foreignLibraries(lddOutput: string): string[] {
  return lddOutput
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '' && !BASE.test(name.replace(/^.*\//, '')));
}

/** Throws when the runtime at `nodePath` needs a library beyond the base set; skips the check where ldd is missing. */
export function assertSelfContainedRuntime(nodePath: string): void {
  let out: string;
  try {
    out = execFileSync('ldd', [nodePath], { encoding: 'utf8' });
  } catch {
    return;
  }
  const foreign = foreignLibraries(out);
  if (foreign.length > 0) {
    throw new Error(`${nodePath} needs ${foreign.join(', ')}, which a department's server may not have: build with an official Node.js from nodejs.org (its libraries are built in)`);
  }
}
