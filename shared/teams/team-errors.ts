import { ConflictError, NotFoundError } from '../errors.js';

export const teamNameTaken = (name: string) =>
  new ConflictError(`A team named "${name}" already exists in this organization`, 'team_name_taken');
export const teamNotFound = () => new NotFoundError('No such team', 'team_not_found');
