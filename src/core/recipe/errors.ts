import { AppError, type ErrorCode } from '../errors';

/**
 * An error about one recipe step: the message names the step and column and says what to do;
 * `stepId`/`stepIndex` let the UI show it beside the step (they travel as plain fields).
 */
export class RecipeError extends AppError {
  /** The step's `id`, when the error is about one step. */
  readonly stepId?: string;
  /** 0-based position of the step in the recipe. */
  readonly stepIndex?: number;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; column?: string; stepId?: string; stepIndex?: number } = {},
  ) {
    super(code, message, { cause: options.cause, column: options.column });
    this.name = 'RecipeError';
    this.stepId = options.stepId;
    this.stepIndex = options.stepIndex;
  }
}
