/** The tool's version, reported in snapshots and SARIF; injected by the build when bundled. */
declare const __TOOL_VERSION__: string | undefined;
export const TOOL_VERSION: string = typeof __TOOL_VERSION__ === 'string' ? __TOOL_VERSION__ : '0.0.0-dev';
