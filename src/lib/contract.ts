import type { z } from 'zod';

/** One action's wire contract: shared by the client (types) and the server (validation). */
export interface ActionContract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export type AreaContract = Record<string, ActionContract>;

export const defineContract = <C extends AreaContract>(c: C): C => c;

export type InputOf<A extends ActionContract> = z.input<A['input']>;
export type OutputOf<A extends ActionContract> = z.output<A['output']>;
