# Workforce sign-on policy of the identity provider, applied by the platform team's Terraform run.
# AC-02 rests on the region between the plaintrust markers: `plaintrust check` warns when a commit
# changes it after the control's newest evidence (the authenticator policy export) was collected.

resource "okta_policy_signon" "workforce" {
  name            = "Workforce sign-on"
  status          = "ACTIVE"
  description     = "Every workforce sign-in"
  groups_included = [data.okta_group.everyone.id]
}

# plaintrust:start AC-02
resource "okta_policy_rule_signon" "security_key" {
  policy_id          = okta_policy_signon.workforce.id
  name               = "Security key or passkey, every time"
  access             = "ALLOW"
  mfa_required       = true
  mfa_prompt         = "ALWAYS"
  primary_factor     = "PASSWORD_IDP_ANY_FACTOR"
  factor_sequence {
    primary_criteria_factor_type = "webauthn"
    primary_criteria_provider    = "FIDO"
  }
}

resource "okta_authenticator" "phone" {
  key    = "phone_number"
  name   = "Phone"
  status = "INACTIVE"
}

resource "okta_authenticator" "google_otp" {
  key    = "google_otp"
  name   = "Google Authenticator"
  status = "INACTIVE"
}
# plaintrust:end

data "okta_group" "everyone" {
  name = "Everyone"
}
