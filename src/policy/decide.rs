//! The decision: what the policy demands for a class and channel, whether the facts of a
//! transfer meet it, and the effective table (`okuri policy show`).

use serde::Serialize;

use super::{ChannelRule, Encryption, Policy, Provision};
use crate::base::channel::Channel;
use crate::base::class::Class;
use crate::base::refusal::{Refusal, RefusalCode};

impl Policy {
    /// What the policy demands for `class` over `channel`, and whether `facts` meet it.
    pub fn decide(&self, class: Class, channel: Channel, facts: &Facts) -> Decision {
        let rule = self.class(class);
        let requirements = self.requirements(class, channel);
        let refuse = |code| Refusal::new(code, class, self.rule(class)).channel(channel);
        if rule.provision == Provision::Forbidden {
            return Decision::Refused(refuse(RefusalCode::ClassForbidden));
        }
        if rule.channel(channel) == ChannelRule::Forbidden {
            let allowed: Vec<&str> = Channel::ALL
                .into_iter()
                .filter(|c| rule.channel(*c) != ChannelRule::Forbidden)
                .map(Channel::as_str)
                .collect();
            return Decision::Refused(
                refuse(RefusalCode::ChannelForbidden).arg("allowed", allowed.join(", ")),
            );
        }
        if requirements.legal_basis && facts.legal_basis.is_none() {
            return Decision::Refused(refuse(RefusalCode::LegalBasisRequired));
        }
        if requirements.approval && !facts.approval {
            return Decision::Refused(refuse(RefusalCode::ApprovalRequired));
        }
        if requirements.encryption && !facts.encrypt {
            return Decision::Refused(refuse(RefusalCode::EncryptionRequired));
        }
        Decision::Allowed(requirements)
    }

    /// The requirements for a class and channel, leaving aside whether they are met.
    pub fn requirements(&self, class: Class, channel: Channel) -> Requirements {
        let rule = self.class(class);
        let ch = rule.channel(channel);
        Requirements {
            forbidden: rule.provision == Provision::Forbidden || ch == ChannelRule::Forbidden,
            legal_basis: rule.provision == Provision::LegalBasisAndApproval,
            approval: rule.provision.needs_approval() || ch == ChannelRule::Approval,
            encryption: rule.encryption == Encryption::Required,
        }
    }
}

/// The facts of a transfer that the policy's conditions are checked against.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub legal_basis: Option<String>,
    /// A valid approval for exactly this transfer is at hand.
    pub approval: bool,
    pub encrypt: bool,
}

/// What a class and channel demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Requirements {
    pub forbidden: bool,
    pub legal_basis: bool,
    pub approval: bool,
    pub encryption: bool,
}

#[derive(Clone, Debug)]
pub enum Decision {
    Allowed(Requirements),
    Refused(Refusal),
}

/// One row of `okuri policy show`.
#[derive(Clone, Debug, Serialize)]
pub struct TableRow {
    pub class: Class,
    pub channel: Channel,
    pub requirements: Requirements,
}

impl Policy {
    /// The effective table: every class and channel with what it demands.
    pub fn table(&self) -> Vec<TableRow> {
        let mut rows = Vec::new();
        for class in Class::ALL {
            for channel in Channel::ALL {
                rows.push(TableRow {
                    class,
                    channel,
                    requirements: self.requirements(class, channel),
                });
            }
        }
        rows
    }
}
