import { InferenceSession } from 'onnxruntime-node';

/**
 * The prototype of onnxruntime's sessions, to spy on `release` of every session: `InferenceSession`
 * is a class at run time, though its type is the factory interface.
 */
export const sessionPrototype = (InferenceSession as unknown as { prototype: InferenceSession }).prototype;
