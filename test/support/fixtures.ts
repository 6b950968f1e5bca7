import { GqlClient } from './graphql-client';

let seq = 0;
const unique = () => `${process.pid}-${Date.now().toString(36)}-${++seq}`;

export const STRONG_PASSWORD = 'correct horse battery staple';

export interface SignedUp {
  token: string;
  refreshToken: string;
  userId: string;
  agencyId: string;
  email: string;
  client: GqlClient;
}

export const SIGN_UP = `mutation($input: SignUpInput!) {
  signUp(input: $input) { accessToken refreshToken user { id email } agency { id name } }
}`;

/** Signs up a new agency with its owner and returns a client acting as that owner. */
export async function signUpAgency(gql: GqlClient, name = 'Agency'): Promise<SignedUp> {
  const email = `owner-${unique()}@example.com`;
  const data = await gql.ok(SIGN_UP, {
    input: { agencyName: `${name} ${unique()}`, name: 'Olivia Owner', email, password: STRONG_PASSWORD },
  });
  const p = data.signUp;
  return {
    token: p.accessToken,
    refreshToken: p.refreshToken,
    userId: p.user.id,
    agencyId: p.agency.id,
    email,
    client: gql.as(p.accessToken),
  };
}
