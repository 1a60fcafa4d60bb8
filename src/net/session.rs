//! A staff member's link to okuri-approvald for one `okuri pack`: logged in with their own key
//! when the policy names a service (or why not), an approved token fetched by its request id,
//! the token marked used through [`crate::transfer::pack::TokenLedger`], and the record's new
//! head witnessed afterwards. The CLI only parses, shows notices and renders.

use crate::base::error::{Error, Result};
use crate::base::ids::{RequestId, StaffId};
use crate::base::message::Msg;
use crate::msg;
use crate::net::client::{self, Client, Failure};
use crate::policy::Policy;
use crate::secret::keys::SigningKey;
use crate::sys::home::Home;
use crate::transfer::pack::{ApprovalInput, Online};

/// Logged in as the staff member, with the key that signs their record's head.
pub struct StaffLink {
    pub client: Client,
    key: SigningKey,
    me: StaffId,
}

/// Where the approval service stands for this command.
pub enum Link {
    /// The policy names no service: tokens are checked against this record only.
    Offline,
    Connected(Box<StaffLink>),
    /// The policy names a service that could not be reached; what the connection said.
    Unreachable(String),
    /// The policy names a service, but there is no key to log in with; the transfer is not
    /// witnessed.
    NoKey,
}

/// A link and what the staff member should be told about it.
pub struct Linked {
    pub link: Link,
    pub notices: Vec<Msg>,
}

impl Link {
    /// Logs in for `okuri pack`. `must` is true when the pack uses an approval (the service
    /// marks its token used, once): then a missing key is an error; otherwise the pack goes on,
    /// unwitnessed.
    pub fn for_pack(
        policy: &Policy,
        home: &Home,
        must: bool,
        load_key: &dyn Fn(&StaffId) -> Result<SigningKey>,
    ) -> Result<Linked> {
        let mut notices = Vec::new();
        let Some(service) = &policy.service else {
            return Ok(Linked {
                link: Link::Offline,
                notices,
            });
        };
        let me = home.identity()?.id;
        let key = match load_key(&me) {
            Ok(k) => k,
            Err(e) if !must => {
                notices.push(msg!("session-not-witnessed"));
                notices.push(e.message().clone());
                return Ok(Linked {
                    link: Link::NoKey,
                    notices,
                });
            }
            Err(e) => return Err(e),
        };
        let link = match Client::login(service, &me, &key) {
            Ok(client) => Link::Connected(Box::new(StaffLink { client, key, me })),
            Err(Failure::Unreachable(e)) => {
                notices.push(e.message().clone());
                Link::Unreachable(client::unreachable_why(&e))
            }
            Err(f) => return Err(f.into_error()),
        };
        Ok(Linked { link, notices })
    }

    /// What pack needs to know of the service.
    pub fn online(&self) -> Online<'_> {
        match self {
            Link::Connected(s) => Online::Connected(&s.client),
            Link::Unreachable(why) => Online::Unreachable(why.clone()),
            Link::Offline | Link::NoKey => Online::Offline,
        }
    }

    /// The token the service holds for an approved request.
    pub fn fetch_token(&self, id: RequestId) -> Result<ApprovalInput> {
        let s = match self {
            Link::Connected(s) => s,
            Link::Offline => {
                return Err(Error::usage(msg!("session-token-needs-service", id = &id))
                    .with_hint(msg!("hint-session-no-token-file")));
            }
            Link::Unreachable(_) | Link::NoKey => {
                return Err(Error::failure(msg!("session-token-unreachable", id = &id))
                    .with_hint(msg!("hint-session-token-unreachable")));
            }
        };
        let view = s.client.get(&id).map_err(Failure::into_error)?;
        let text = view.token.ok_or_else(|| {
            Error::invalid(msg!(
                "session-request-not-approved",
                id = &id,
                status = view.status.as_str()
            ))
            .with_hint(msg!("hint-session-request-status"))
        })?;
        Ok(ApprovalInput::Fetched {
            request_id: id,
            text,
        })
    }

    /// Has the record's head witnessed; what went wrong, for a notice (the record changed
    /// either way, by a transfer or a refusal, so this is done after every pack).
    pub fn witness(&self, home: &Home) -> Vec<Msg> {
        let Link::Connected(s) = self else {
            return Vec::new();
        };
        let record = client::record_id(&s.me);
        match s.client.send_head(&record, &home.record_path(), &s.key) {
            Ok(_) => Vec::new(),
            Err(f) => vec![
                msg!("session-not-witnessed-head"),
                f.into_error().message().clone(),
            ],
        }
    }
}
