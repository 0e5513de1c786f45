/** The in-memory data of one server: users, wallets, OTP codes, media files, revoked tokens. */
import { randomUUID } from 'node:crypto';

export type Channel = 'email' | 'phone';
export type Purpose = 'verify' | 'reset';
export const CHANNELS: readonly Channel[] = ['email', 'phone'];

export interface Profile {
  full_name: string;
  /** Path of the stored image (e.g. /media/profiles/<id>/<name>.png); made absolute on output. */
  profile_image: string | null;
  bio: string;
  date_of_birth: string | null;
  gender: string;
}

export interface User {
  readonly id: string;
  phone_number: string;
  email: string;
  /** One hash normally; the change-password-keeps-old fault keeps the previous ones too. */
  password_hashes: string[];
  is_phone_verified: boolean;
  is_email_verified: boolean;
  role: string;
  rating_avg: number;
  total_tasks_posted: number;
  total_tasks_completed: number;
  readonly created_at: number;
  profile: Profile;
  location: { latitude: number; longitude: number } | null;
  wallet_id: string | null;
  /** Tokens of each type issued before this instant (ms) are refused: set by a password change or reset. */
  tokens_valid_after: { access: number; refresh: number };
  /** Dialects that log in by username and keep split names (seed 001); absent elsewhere. */
  username?: string;
  first_name?: string;
  last_name?: string;
}

export interface Wallet {
  readonly id: string;
  balance: number;
  readonly created_at: number;
  updated_at: number;
}

export interface OtpRecord {
  readonly userId: string;
  readonly channel: Channel;
  readonly purpose: Purpose;
  readonly code: string;
  readonly expiresAt: number;
  used: boolean;
  failures: number;
}

export interface MediaFile {
  readonly contentType: string;
  readonly bytes: Buffer;
}

export class Store {
  private readonly users = new Map<string, User>();
  private readonly wallets = new Map<string, Wallet>();
  private readonly otps = new Map<string, OtpRecord>();
  readonly media = new Map<string, MediaFile>();
  /** jti of refresh tokens retired by rotation (quirk rotate-refresh). */
  readonly revokedJtis = new Set<string>();
  /** The one wallet of the wallet-shared fault. */
  sharedWallet: Wallet | null = null;
  private nextNumericId = 1000;

  constructor(private readonly numericIds: boolean) {}

  newId(): string {
    return this.numericIds ? String(++this.nextNumericId) : randomUUID();
  }

  saveUser(user: User): void {
    this.users.set(user.id, user);
  }

  user(id: string): User | undefined {
    return this.users.get(id);
  }

  /** The most recently registered user (fault me-returns-latest-user). */
  latestUser(): User | undefined {
    return [...this.users.values()].at(-1);
  }

  private find(predicate: (user: User) => boolean): User | undefined {
    for (const user of this.users.values()) if (predicate(user)) return user;
    return undefined;
  }

  /** Emails are unique and compared case-insensitively. */
  findByEmail(email: string, except?: string): User | undefined {
    const wanted = email.toLowerCase();
    return this.find((u) => u.id !== except && u.email !== '' && u.email.toLowerCase() === wanted);
  }

  findByPhone(phone: string): User | undefined {
    return this.find((u) => u.phone_number === phone);
  }

  /** Usernames are unique and compared case-insensitively, as Django's default backend does not: stricter is safe. */
  findByUsername(username: string): User | undefined {
    const wanted = username.toLowerCase();
    return this.find((u) => u.username !== undefined && u.username.toLowerCase() === wanted);
  }

  /** A login or reset identifier: an email when it holds '@', else a phone number. */
  findByIdentifier(identifier: string): User | undefined {
    return identifier.includes('@') ? this.findByEmail(identifier) : this.findByPhone(identifier);
  }

  saveWallet(wallet: Wallet): void {
    this.wallets.set(wallet.id, wallet);
  }

  wallet(id: string | null): Wallet | undefined {
    return id === null ? undefined : this.wallets.get(id);
  }

  anyWallet(): Wallet | undefined {
    return this.wallets.values().next().value;
  }

  private static otpKey(userId: string, channel: string, purpose: Purpose): string {
    return `${userId}|${channel}|${purpose}`;
  }

  /** A new code replaces the previous one of the same user, channel and purpose. */
  saveOtp(record: OtpRecord): void {
    this.otps.set(Store.otpKey(record.userId, record.channel, record.purpose), record);
  }

  otp(userId: string, channel: Channel, purpose: Purpose): OtpRecord | undefined {
    return this.otps.get(Store.otpKey(userId, channel, purpose));
  }

  otpsFor(purpose: Purpose): OtpRecord[] {
    return [...this.otps.values()].filter((r) => r.purpose === purpose);
  }
}
