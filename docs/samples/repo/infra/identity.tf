# The identity provider's sign-on settings, applied by Terraform.

resource "okta_group" "workforce" {
  name = "Workforce"
}

resource "okta_policy_signon" "workforce" {
  name            = "Workforce sign-on"
  status          = "ACTIVE"
  groups_included = [okta_group.workforce.id]
}

# plaintrust:start AC-01
resource "okta_policy_rule_signon" "security_key" {
  policy_id    = okta_policy_signon.workforce.id
  name         = "A security key at every sign-in"
  mfa_required = true
  mfa_prompt   = "ALWAYS"
}
# plaintrust:end
