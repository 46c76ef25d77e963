/** The canonical example (docs/language.md, examples/acme.sipflow), for "Get started". */
export const EXAMPLE_TEXT = `// Acme routes its Danish support and sales lines through Synthflow AI agents,
// which escalate to Dixa agent queues over SIP.
integration acme {

  dixa {
    sip-domain "acme.sip.dixa.com"
    allowlist synthflow              // the Synthflow signalling IPs of the region below
  }

  synthflow {
    region eu                        // api.eu.synthflow.ai, sip.eu.synthflow.ai
    workspace "1738660423280x428309622607052800"
    trunk-auth ip                    // Dixa authenticates Synthflow by source IP
  }

  queue tier1 {
    name "Phone – Tier 1"
    did "+4570101111"
  }

  queue sales_desk {
    name "Phone – Sales"
    did "+4570102222"
    kind ring-group
  }

  department support {
    flow "Support DK"
    did "+4535551234"
    assistant "b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"
    timeout 30s
    fallback tier1
    uui phone_number
    escalate tier1 {
      mode warm
      when "The caller asks for a human, or the problem cannot be solved"
      say "One moment, I am putting you through to a colleague."
    }
  }

  department sales {
    flow "Sales DK"
    did "+4535555678"
    assistant "0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90"
    timeout 30s
    fallback sales_desk
    escalate sales_desk
  }
}
`;
