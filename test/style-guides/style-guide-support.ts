import { GqlClient } from '../support/graphql-client';

export const RULE_FIELDS = `voice { description examples }
  bannedPhrases { phrase replacement languages severity }
  neverPromise { phrase replacement languages severity }
  competitors { phrase severity }
  greeting { templates { template languages kinds } severity }
  signOff { templates { template languages kinds } severity }
  emoji { mode max severity }
  maxLength { platform scope max severity }
  exclamationMarks { max severity }
  customerNameInDirectMessages { severity }
  links { allowedDomains severity }`;

export const STYLE_GUIDE = `query($brandId: ID!) { styleGuide(brandId: $brandId) {
  brandId version versionId updatedByUserId updatedAt rules { ${RULE_FIELDS} } } }`;

export const VERSIONS = `query($brandId: ID!, $first: Int, $after: String) {
  styleGuideVersions(brandId: $brandId, first: $first, after: $after) {
    nodes { id brandId version createdByUserId createdAt rules { bannedPhrases { phrase } } }
    pageInfo { endCursor hasNextPage } } }`;

export const UPDATE = `mutation($input: UpdateStyleGuideInput!) { updateStyleGuide(input: $input) {
  id brandId version createdByUserId createdAt rules { ${RULE_FIELDS} } } }`;

export const CHECK = `query($input: CheckReplyInput!) { checkReply(input: $input) {
  score blocked versionId violations { rule severity start end message suggestion } } }`;

/** Saves rules for a brand and answers the new version. */
export async function saveRules(
  client: GqlClient,
  brandId: string,
  rules: Record<string, unknown>,
  expectedVersion?: number,
): Promise<{ id: string; version: number }> {
  const { updateStyleGuide } = await client.ok(UPDATE, { input: { brandId, rules, expectedVersion } });
  return updateStyleGuide;
}

export const REPLY = `mutation($input: ReplyToConversationInput!) {
  replyToConversation(input: $input) { id status styleGuideVersionId } }`;
