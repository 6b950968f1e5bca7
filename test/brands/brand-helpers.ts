import { GqlClient } from '../support/graphql-client';

export const BRAND_FIELDS = `id name slug timezone languages businessHours { day opens closes } holidays { date name }
  whiteLabel { displayName logoUrl primaryColor } reopenWindowHours archivedAt createdAt`;

export const CREATE_BRAND = `mutation($input: CreateBrandInput!) { createBrand(input: $input) { ${BRAND_FIELDS} } }`;
export const UPDATE_BRAND = `mutation($input: UpdateBrandInput!) { updateBrand(input: $input) { ${BRAND_FIELDS} } }`;
export const ARCHIVE_BRAND = `mutation($id: ID!) { archiveBrand(id: $id) { id archivedAt } }`;
export const RESTORE_BRAND = `mutation($id: ID!) { restoreBrand(id: $id) { id archivedAt } }`;
export const DUPLICATE_BRAND = `mutation($brandId: ID!, $name: String!) { duplicateBrand(brandId: $brandId, name: $name) { ${BRAND_FIELDS} } }`;
export const BRANDS = `query($all: Boolean) { brands(includeArchived: $all) { id name slug archivedAt } }`;
export const BRAND = `query($id: ID!) { brand(id: $id) { ${BRAND_FIELDS} } }`;

export const VALID_BRAND = {
  name: 'Acme Coffee',
  timezone: 'Europe/Berlin',
  languages: ['de-DE', 'en'],
};

/** Creates a brand as `client` (an ADMIN or OWNER) and returns it. */
export async function createBrand(client: GqlClient, input: Record<string, unknown> = {}): Promise<any> {
  const { createBrand } = await client.ok(CREATE_BRAND, { input: { ...VALID_BRAND, ...input } });
  return createBrand;
}
