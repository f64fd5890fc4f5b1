import { defineRule } from './api';

export default defineRule({
  id: 'candid-storable-encoding',
  language: 'rust',
  defaultSeverity: 'info',
  docs: {
    summary: 'A `Storable` impl encodes with candid, where CBOR is smaller and cheaper',
    why: [
      'Every candid message carries a "DIDL" header and a type table, so each stored value pays for its own type description.',
      'CBOR through ciborium, as in the official quick-start example, encodes the same serde data more compactly and with fewer instructions on every insert and get.',
      "Candid's size is also hard to bound: a `max_size` that looked generous was exceeded by 181 bytes in ic-stable-structures issue #168.",
      'Values already stored stay candid bytes, so switching the encoder of deployed data needs a migration or a versioned envelope.',
    ].join('\n'),
    bad: `use candid::{CandidType, Decode, Deserialize, Encode};
use ic_stable_structures::storable::{Bound, Storable};
use std::borrow::Cow;

#[derive(CandidType, Deserialize)]
struct Profile {
    name: String,
}

impl Storable for Profile {
    fn to_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Owned(Encode!(self).unwrap())
    }
    fn into_bytes(self) -> Vec<u8> {
        Encode!(&self).unwrap()
    }
    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        Decode!(bytes.as_ref(), Self).unwrap()
    }
    const BOUND: Bound = Bound::Unbounded;
}
`,
    good: `use ic_stable_structures::storable::{Bound, Storable};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(Serialize, Deserialize)]
struct Profile {
    name: String,
}

impl Storable for Profile {
    fn to_bytes(&self) -> Cow<'_, [u8]> {
        let mut buf = vec![];
        ciborium::ser::into_writer(self, &mut buf).unwrap();
        Cow::Owned(buf)
    }
    fn into_bytes(self) -> Vec<u8> {
        self.to_bytes().into_owned()
    }
    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        ciborium::de::from_reader(bytes.as_ref()).unwrap()
    }
    const BOUND: Bound = Bound::Unbounded;
}
`,
  },
  checkRust(ctx) {
    for (const imp of ctx.model.storables) {
      if (imp.encoder !== 'candid' || !imp.encoderLoc) continue;
      const bounded = imp.bound?.kind === 'bounded' ? ', and its size is hard to keep under `max_size`' : '';
      ctx.report({
        message: `\`${imp.typeName}\` is stored as candid, which is larger and slower to encode than CBOR (ciborium)${bounded}`,
        loc: imp.encoderLoc,
      });
    }
  },
});
