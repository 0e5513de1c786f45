/**
 * Every text the server answers. The standard table follows the seed's examples and DRF's
 * wording; the alternate one (quirk `other-messages`) rewords every entry, because the contract
 * fixes the envelope's shape, not its prose.
 */
export interface Texts {
  readonly registered: string;
  readonly loggedIn: string;
  readonly refreshed: string;
  readonly otpSent: (channel: string) => string;
  readonly verified: (channel: string) => string;
  readonly profileRetrieved: string;
  readonly profileUpdated: string;
  readonly passwordChanged: string;
  readonly locationUpdated: string;
  readonly resetSent: (identifier: string) => string;
  readonly resetDone: string;
  readonly walletRetrieved: string;
  readonly allowedMethods: string;

  readonly validationFailed: string;
  readonly invalidCredentials: string;
  readonly invalidOtpMessage: string;
  readonly passwordChangeFailed: string;
  readonly passwordResetFailed: string;
  readonly unauthorized: string;
  readonly notFound: string;
  readonly methodNotAllowed: (method: string) => string;
  readonly unsupportedMediaType: (type: string) => string;
  readonly badRequest: string;
  readonly tooLarge: string;
  readonly throttled: string;
  readonly serverError: string;

  readonly required: string;
  readonly notNull: string;
  readonly blank: string;
  readonly notString: string;
  readonly nullCharacters: string;
  readonly maxLength: (n: number) => string;
  readonly phoneLength: string;
  readonly phoneDigits: string;
  readonly phonePrefix: string;
  readonly phoneTaken: string;
  readonly emailInvalid: string;
  readonly emailTaken: string;
  readonly passwordTooShort: string;
  readonly passwordMismatch: string;
  readonly invalidChoice: (value: string) => string;
  readonly notDictionary: (type: string) => string;
  readonly jsonParse: (detail: string) => string;
  readonly multipartParse: string;
  readonly invalidOtp: string;
  readonly oldPasswordWrong: string;
  readonly notNumber: string;
  readonly outOfRange: (limit: number) => string;
  readonly invalidDate: string;
  readonly notImage: string;
  readonly notFile: string;
  readonly emptyFile: string;
  readonly noCredentials: string;
  readonly badAuthHeader: string;
  readonly tokenInvalid: string;
  readonly refreshInvalid: string;
  readonly noAccount: string;
  readonly walletMissing: string;
  readonly throttledDetail: (seconds: number) => string;
  readonly serverErrorDetail: string;
  readonly bodyTooLarge: (limit: number) => string;
}

const STANDARD: Texts = {
  registered: 'Registration successful',
  loggedIn: 'Login successful',
  refreshed: 'Token refreshed successfully',
  otpSent: (channel) => `OTP sent successfully to your ${channel}`,
  verified: (channel) => (channel === 'email' ? 'Email verified successfully' : 'Phone verified successfully'),
  profileRetrieved: 'Profile retrieved successfully',
  profileUpdated: 'Profile updated successfully',
  passwordChanged: 'Password changed successfully',
  locationUpdated: 'Location updated successfully',
  resetSent: (identifier) => `OTP sent to ${identifier}`,
  resetDone: 'Password reset successful',
  walletRetrieved: 'Wallet retrieved successfully',
  allowedMethods: 'Allowed methods',

  validationFailed: 'Validation failed',
  invalidCredentials: 'Invalid credentials',
  invalidOtpMessage: 'Invalid or expired OTP',
  passwordChangeFailed: 'Password change failed',
  passwordResetFailed: 'Password reset failed',
  unauthorized: 'Authentication failed',
  notFound: 'Not found.',
  methodNotAllowed: (method) => `Method "${method}" not allowed.`,
  unsupportedMediaType: (type) => `Unsupported media type "${type}" in request.`,
  badRequest: 'Malformed request',
  tooLarge: 'Request entity too large',
  throttled: 'Request was throttled.',
  serverError: 'Internal server error',

  required: 'This field is required.',
  notNull: 'This field may not be null.',
  blank: 'This field may not be blank.',
  notString: 'Not a valid string.',
  nullCharacters: 'Null characters are not allowed.',
  maxLength: (n) => `Ensure this field has no more than ${n} characters.`,
  phoneLength: 'Phone number must be exactly 12 characters long.',
  phoneDigits: 'Phone number must contain digits only.',
  phonePrefix: 'Phone number must start with 92.',
  phoneTaken: 'A user with this phone number already exists.',
  emailInvalid: 'Enter a valid email address.',
  emailTaken: 'A user with this email already exists.',
  passwordTooShort: 'Password must be at least 8 characters.',
  passwordMismatch: 'Passwords do not match.',
  invalidChoice: (value) => `"${value}" is not a valid choice.`,
  notDictionary: (type) => `Invalid data. Expected a dictionary, but got ${type}.`,
  jsonParse: (detail) => `JSON parse error - ${detail}`,
  multipartParse: 'Multipart form parse error - Invalid boundary in multipart.',
  invalidOtp: 'Invalid OTP',
  oldPasswordWrong: 'Old password is incorrect.',
  notNumber: 'A valid number is required.',
  outOfRange: (limit) => `Ensure this value is between -${limit} and ${limit}.`,
  invalidDate: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.',
  notImage: 'Upload a valid image. The file you uploaded was either not an image or a corrupted image.',
  notFile: 'The submitted data was not a file. Check the encoding type on the form.',
  emptyFile: 'The submitted file is empty.',
  noCredentials: 'Authentication credentials were not provided.',
  badAuthHeader: 'Authorization header must contain two space-delimited values',
  tokenInvalid: 'Given token not valid for any token type',
  refreshInvalid: 'Token is invalid or expired',
  noAccount: 'No active account found with the given credentials',
  walletMissing: 'Wallet not found.',
  throttledDetail: (seconds) => `Request was throttled. Expected available in ${seconds} seconds.`,
  serverErrorDetail: 'A server error occurred.',
  bodyTooLarge: (limit) => `The request body exceeds ${limit} bytes.`,
};

const ALTERNATE: Texts = {
  registered: 'Your account has been created',
  loggedIn: 'Welcome back',
  refreshed: 'Here is a fresh access token',
  otpSent: (channel) => `A verification code is on its way (${channel})`,
  verified: (channel) => `Your ${channel} is now confirmed`,
  profileRetrieved: 'Here is your account',
  profileUpdated: 'Your changes were saved',
  passwordChanged: 'Your password was updated',
  locationUpdated: 'Your position was saved',
  resetSent: () => 'If the account exists, a code was sent',
  resetDone: 'Your password was replaced',
  walletRetrieved: 'Here is your wallet',
  allowedMethods: 'Methods this endpoint supports',

  validationFailed: 'Some fields need attention',
  invalidCredentials: 'Those credentials did not work',
  invalidOtpMessage: 'That code did not work',
  passwordChangeFailed: 'The password could not be updated',
  passwordResetFailed: 'The password could not be replaced',
  unauthorized: 'Please sign in first',
  notFound: 'There is nothing here',
  methodNotAllowed: (method) => `This endpoint does not support ${method}`,
  unsupportedMediaType: (type) => `Bodies of type ${type} cannot be read here`,
  badRequest: 'The request could not be understood',
  tooLarge: 'The request is too big',
  throttled: 'Slow down a little',
  serverError: 'Something broke on our side',

  required: 'Please fill in this field.',
  notNull: 'A value is needed here.',
  blank: 'Please do not leave this empty.',
  notString: 'Text is expected here.',
  nullCharacters: 'Text may not contain NUL characters.',
  maxLength: (n) => `At most ${n} characters, please.`,
  phoneLength: 'Use twelve digits for the phone number.',
  phoneDigits: 'Only digits are allowed in a phone number.',
  phonePrefix: 'Phone numbers begin with the country code 92.',
  phoneTaken: 'This phone number belongs to another account.',
  emailInvalid: 'That does not look like an email address.',
  emailTaken: 'This email belongs to another account.',
  passwordTooShort: 'Choose a password of eight characters or more.',
  passwordMismatch: 'The two passwords differ.',
  invalidChoice: (value) => `${value} is not one of the options.`,
  notDictionary: (type) => `An object is expected, not ${type}.`,
  jsonParse: (detail) => `The JSON could not be read (${detail})`,
  multipartParse: 'The form data could not be read.',
  invalidOtp: 'That code is wrong or no longer valid.',
  oldPasswordWrong: 'The current password is wrong.',
  notNumber: 'A number is expected here.',
  outOfRange: (limit) => `Keep this within ±${limit}.`,
  invalidDate: 'Write the date as year-month-day, e.g. 1990-01-31.',
  notImage: 'Only PNG, JPEG, GIF or WebP pictures are accepted.',
  notFile: 'A file upload is expected here.',
  emptyFile: 'The uploaded file has no content.',
  noCredentials: 'No access token was sent.',
  badAuthHeader: 'Send the header as: Bearer <token>.',
  tokenInvalid: 'The access token was not accepted.',
  refreshInvalid: 'The refresh token was not accepted.',
  noAccount: 'The username or password is wrong.',
  walletMissing: 'This account has no wallet.',
  throttledDetail: (seconds) => `Try again in ${seconds} s.`,
  serverErrorDetail: 'An unexpected failure occurred.',
  bodyTooLarge: (limit) => `Bodies are limited to ${limit} bytes.`,
};

export function texts(alternate: boolean): Texts {
  return alternate ? ALTERNATE : STANDARD;
}
