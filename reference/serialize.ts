/** The answer shapes of seed §Data Models: UserModel, UserProfileModel, WalletModel. */
import type { Ctx } from './context.js';
import type { User, Wallet } from './store.js';

/** Seed §Profile Image Upload: "Returns full URL in response". */
function imageUrl(ctx: Ctx, path: string | null): string | null {
  if (path === null) return null;
  return ctx.fault('profile-image-relative-url') ? path : ctx.absoluteUrl(path);
}

export function serializeUser(ctx: Ctx, user: User) {
  const { profile } = user;
  return {
    id: user.id,
    phone_number: user.phone_number,
    email: user.email,
    is_phone_verified: user.is_phone_verified,
    is_email_verified: user.is_email_verified,
    role: user.role,
    rating_avg: user.rating_avg,
    total_tasks_posted: user.total_tasks_posted,
    total_tasks_completed: user.total_tasks_completed,
    created_at: ctx.iso(user.created_at),
    profile: {
      full_name: profile.full_name,
      profile_image: imageUrl(ctx, profile.profile_image),
      bio: profile.bio,
      date_of_birth: profile.date_of_birth,
      gender: profile.gender,
    },
  };
}

export function serializeWallet(ctx: Ctx, wallet: Wallet) {
  return { id: wallet.id, balance: wallet.balance, created_at: ctx.iso(wallet.created_at), updated_at: ctx.iso(wallet.updated_at) };
}
