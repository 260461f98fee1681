/** The built-in roles as the API names them, with the words people read. */
export const ROLE_OPTIONS = [
  { value: 'member', label: 'Member' },
  { value: 'org_admin', label: 'Admin' },
];
