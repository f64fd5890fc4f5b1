import Error "mo:core/Error";
import List "mo:core/List";
import Map "mo:core/Map";
import Nat "mo:core/Nat";
import Principal "mo:core/Principal";
import Time "mo:core/Time";
import Timer "mo:core/Timer";
// A guestbook: signed-in visitors leave a short message, anyone can read and like them.
persistent actor Guestbook {
  public type Entry = { author : Principal; message : Text; signedAt : Time.Time };

  // Was `var entries : [Entry]`: appending to an array copied every entry.
  let entries = List.empty<Entry>();
  // Raised from 280 characters.
  let maxLength = 500;
  // Likes per entry id.
  transient let likes : Map.Map<Nat, Nat> = Map.empty();
  transient let startedAt : Time.Time = Time.now();

  // A copy of the entries, taken before every upgrade.
  var backup : [Entry] = [];
  // The timer that tidies up old likes.
  var tidyTimer : ?Timer.TimerId = null;

  public shared ({ caller }) func sign(message : Text) : async Nat {
    if (Principal.isAnonymous(caller)) throw Error.reject("sign in to leave a message");
    if (message.size() > maxLength) throw Error.reject("a message has at most " # Nat.toText(maxLength) # " characters");
    List.add(entries, { author = caller; message; signedAt = Time.now() });
    List.size(entries) - 1;
  };

  public func like(id : Nat) : async Nat {
    let total = switch (Map.get(likes, Nat.compare, id)) {
      case (?n) n + 1;
      case null 1;
    };
    Map.add(likes, Nat.compare, id, total);
    total;
  };

  public query func count() : async Nat {
    List.size(entries);
  };

  public query func entry(id : Nat) : async ?Entry {
    List.get(entries, id);
  };

  public query func uptime() : async Int {
    Time.now() - startedAt;
  };

  public func scheduleTidy() : async () {
    tidyTimer := ?Timer.setTimer<system>(#seconds 86_400, func() : async () { Map.clear(likes) });
  };

  system func preupgrade() {
    backup := List.toArray(entries);
  };
};
