const pick = (alphabet: string) => alphabet.charAt(Math.floor(Math.random() * alphabet.length));
const times = (n: number, alphabet: string) => Array.from({ length: n }, () => pick(alphabet)).join('');

/**
 * The variables Okta's SCIM 2.0 SPEC test starts from (its Initial_Script_Spec.txt): a
 * mixed-case Runscope user at atko.com. Shared by the replay script and the CI replay test.
 */
export function oktaSpecVariables() {
  const firstname = `Runscope${times(3, '0123456789')}`;
  const lastname = pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ') + times(8, 'abcdefghijklmnopqrstuvwxyz') + times(3, '0123456789');
  const email = `${firstname}${lastname}@atko.com`;
  return {
    randomGivenName: firstname,
    randomFamilyName: lastname,
    randomEmail: email,
    randomUsername: email,
    InvalidUserEmail: 'abcdefgh@atko.com',
    UserIdThatDoesNotExist: '010101001010101011001010101011',
    randomUsernameCaps: email.toUpperCase(),
  };
}
