import t from 'tap';
import { foreignLibraries } from '../../../scripts/release/runtime-libraries.js';

t.test("an official Node build needs only the system's C and C++ runtime", async (t) => {
  const official = `	linux-vdso.so.1 (0x00007fc94edb3000)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007fc94ed9d000)
	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007fc94ea00000)
	libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007fc94ecbd000)
	libgcc_s.so.1 => /lib/x86_64-linux-gnu/libgcc_s.so.1 (0x00007fc94ec9d000)
	libpthread.so.0 => /lib/x86_64-linux-gnu/libpthread.so.0 (0x00007fc94ec98000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fc94e81e000)
	/lib64/ld-linux-x86-64.so.2 (0x00007fc94edb5000)`;
  t.same(foreignLibraries(official), []);
  const arm = `	linux-vdso.so.1 (0x0000ffff8f6d4000)
	libstdc++.so.6 => /lib/aarch64-linux-gnu/libstdc++.so.6 (0x0000ffff8b400000)
	libc.so.6 => /lib/aarch64-linux-gnu/libc.so.6 (0x0000ffff8b250000)
	/lib/ld-linux-aarch64.so.1 (0x0000ffff8f697000)`;
  t.same(foreignLibraries(arm), [], 'on arm64 too');
});

t.test("a distribution's node, linked to the system's libnode and OpenSSL, is named", async (t) => {
  const distro = `	linux-vdso.so.1 (0x00007ffd)
	libnode.so.108 => /lib/x86_64-linux-gnu/libnode.so.108 (0x00007f)
	libuv.so.1 => /lib/x86_64-linux-gnu/libuv.so.1 (0x00007f)
	libssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x00007f)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)`;
  t.same(foreignLibraries(distro), ['libnode.so.108', 'libuv.so.1', 'libssl.so.3']);
});
