/** Seed §9 Get Wallet: the caller's own wallet. */
import type { Ctx } from '../context.js';
import { type Success, ok } from '../envelope.js';
import { notFound } from '../errors.js';
import { serializeWallet } from '../serialize.js';
import { createWallet } from './common.js';

export async function wallet(ctx: Ctx): Promise<Success> {
  // Without a user only the wallet-without-token fault gets here: it shows whatever wallet there is.
  const found = ctx.user ? ctx.store.wallet(ctx.user.wallet_id) : (ctx.store.anyWallet() ?? createWallet(ctx));
  if (!found) throw notFound(ctx.t, ctx.t.walletMissing);
  return ok(ctx.t.walletRetrieved, serializeWallet(ctx, found));
}
