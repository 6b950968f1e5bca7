import { registerEnumType } from '@nestjs/graphql';

/** Roles of a membership, most powerful first (DESIGN.md, "Who uses it"). */
export enum Role {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  MANAGER = 'MANAGER',
  AGENT = 'AGENT',
  CLIENT_VIEWER = 'CLIENT_VIEWER',
}

registerEnumType(Role, { name: 'Role', description: 'What a member may do in an agency.' });

const RANK: Record<Role, number> = {
  [Role.OWNER]: 5,
  [Role.ADMIN]: 4,
  [Role.MANAGER]: 3,
  [Role.AGENT]: 2,
  [Role.CLIENT_VIEWER]: 1,
};

/** True when `role` is `atLeast` or more powerful. */
export function roleAtLeast(role: Role, atLeast: Role): boolean {
  return RANK[role] >= RANK[atLeast];
}
