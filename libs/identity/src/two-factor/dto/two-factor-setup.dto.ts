import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('TwoFactorSetup', {
  description: 'Shown once; confirm with a code to turn two-factor sign-in on.',
})
export class TwoFactorSetupDto {
  @Field({ description: 'Base32 secret, for typing into an authenticator app by hand.' }) secret: string;
  @Field({ description: 'otpauth:// URI (RFC 6238 key URI format).' }) otpauthUrl: string;
  @Field({ description: 'The URI as a QR code, a data: URL of a PNG.' }) qrCodeDataUrl: string;
}
