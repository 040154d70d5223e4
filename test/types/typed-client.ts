// Type-level tests for the typed client (test/support/api.ts): a route's answer has its own type.
import type { api } from "../support/api";

type ValidateAnswer = Awaited<ReturnType<Awaited<ReturnType<typeof api.licenses.validate.$post>>["json"]>>;
type StatusAnswer = Awaited<ReturnType<Awaited<ReturnType<typeof api.subscriptions.status.$get>>["json"]>>;

/** `true` only when T is not `any` (any swallows every other type). */
type NotAny<T> = 0 extends 1 & T ? false : true;

export const answersAreTyped: [NotAny<ValidateAnswer>, NotAny<StatusAnswer>] = [true, true];
