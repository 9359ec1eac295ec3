/**
 * The JSON Schema of a `POST /v1/rank` 200 response, given to fastify so fast-json-stringify
 * serialises it (`{ model: { name, version, specHash }, items: [{ itemId, score, tasks: { <task>:
 * p }, cold }] }`). `tasks` is open-ended: its keys are the served spec's task names, which a
 * reload may change.
 */
export const rankResponseSchema = {
  type: 'object',
  required: ['model', 'items'],
  properties: {
    model: {
      type: 'object',
      required: ['name', 'version', 'specHash'],
      properties: { name: { type: 'string' }, version: { type: 'string' }, specHash: { type: 'string' } },
    },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['itemId', 'score', 'tasks', 'cold'],
        properties: {
          itemId: { type: 'string' },
          score: { type: 'number' },
          tasks: { type: 'object', additionalProperties: { type: 'number' } },
          cold: { type: 'boolean' },
        },
      },
    },
  },
} as const;
