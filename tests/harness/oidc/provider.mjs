// A real OpenID Provider for Ordo's tests: panva/node-oidc-provider on loopback.
// Clients register themselves (dynamic registration), so each test app, on its own
// port, registers its exact redirect URI. The development sign-in pages accept any
// login; the accounts below give some of them a name and groups, the claim Ordo maps
// to roles. Usage: OIDC_PORT=… node provider.mjs
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;

// Groups as a ministry's directory would carry them.
const accounts = {
  'chef.mines': { name: 'Fatoumata Bah', email: 'chef.mines@mmg.demo.ordo', groups: ['mmg-chefs'] },
  'agent.mines': { name: 'Mamadou Diallo', email: 'agent.mines@mmg.demo.ordo', groups: ['mmg-agents'] },
  'nouvelle.recrue': { name: 'Nouvelle Recrue', email: 'nouvelle.recrue@mmg.demo.ordo', groups: ['mmg-agents', 'mmg-courrier'] },
  'visiteur': { name: 'Visiteur Sans Rôle', email: 'visiteur@example.org', groups: ['public'] },
};

const provider = new Provider(issuer, {
  clients: [],
  features: {
    registration: { enabled: true },
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username', 'groups'],
    email: ['email'],
  },
  // Claims in the ID token itself, as many ministries' providers are set up.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  cookies: { keys: ['ordo-test-provider-cookie-key'] },
  async findAccount(_ctx, id) {
    const known = accounts[id] ?? { name: id, groups: [] };
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, ...known };
      },
    };
  },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider ${issuer}`);
});
