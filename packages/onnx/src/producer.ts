import { createRequire } from 'node:module';

/** This package's version, written as the ONNX `producer_version` (`producer_name` is `'thaw'`). */
export const producerVersion: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
