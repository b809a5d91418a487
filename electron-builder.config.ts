/**
 * Packages the desktop app (`npm run package`): a Linux AppImage and .deb, a Windows NSIS
 * installer. TypeScript rather than YAML so the configuration is checked against
 * electron-builder's own Configuration type; test/desktop/builder-config.test.ts checks what it
 * would pack. Needs the network on the release machine: electron-builder downloads Electron's
 * binary and headers (for rebuilding the native modules) there.
 */
import type { Configuration } from 'electron-builder';

const config: Configuration = {
  appId: 'cn.tillpoint.pos',
  productName: 'Tillpoint',
  directories: { output: 'dist/packages', buildResources: 'packaging' },
  files: [
    // main.js and the 4.6 KB preload (electron/build.ts)
    'dist/electron/**',
    // the renderer (vite build), served by main over app://
    'dist/renderer/**',
    // the sync server bundled with the core it imports (npm run build:server), forked by main
    // as a utility process; inside the asar archive beside main.js, so its external packages
    // (better-sqlite3, pg, pino) resolve from the app's node_modules as main's do
    'dist/server/**',
    '!**/*.map',
    'package.json',
  ],
  // Native addons load from real files, not from inside the archive; Electron redirects their
  // require() to app.asar.unpacked by itself.
  asarUnpack: [
    'node_modules/better-sqlite3/**',
    'node_modules/node-hid/**',
    'node_modules/@serialport/bindings-cpp/**',
  ],
  // Rebuilds better-sqlite3, node-hid and serialport for Electron's ABI. That is the only ABI the
  // app needs: main loads node-hid and serialport, and the bundled server loads better-sqlite3
  // in a utility process of the same Electron binary, never under a system Node.
  npmRebuild: true,
  extraMetadata: { main: 'dist/electron/main.js' },
  electronFuses: {
    // The server runs as utilityProcess.fork, so nothing needs ELECTRON_RUN_AS_NODE.
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // The renderer is served over app://, never file://.
    grantFileProtocolExtraPrivileges: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    extraResources: [
      { from: 'packaging/linux/60-tillpoint-pos.rules', to: 'udev/60-tillpoint-pos.rules' },
    ],
  },
  deb: {
    depends: ['libusb-1.0-0', 'libudev1'],
    afterInstall: 'packaging/linux/after-install.sh',
  },
  win: { target: 'nsis' },
  nsis: { oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true },
};

export default config;
