
// Appended to the profile registry's lib.rs by test/compile.test.ts. Each process is one stage
// of a canister's life; the stable memory file (STABLE_MEMORY_FILE) is what outlives it, as
// stable memory outlives an upgrade while the heap does not.
mod stable_lens_driver {
    fn report() {
        let alice = super::id_of("alice".to_string());
        println!("count {}", super::count());
        println!("alice {:?} {:?}", alice, alice.and_then(super::profile));
        println!("carol {:?}", super::id_of("carol".to_string()));
        println!("handles {:?}", super::handles());
        println!("next id {}", super::peek_next_id());
    }

    pub fn run(stage: &str) {
        match stage {
            "install" => {
                super::init();
                super::register("alice".to_string(), "likes stable memory".to_string());
                let bob = super::register("bob".to_string(), "writes canisters".to_string());
                super::register("carol".to_string(), "leaves soon".to_string());
                super::unregister("carol".to_string());
                super::update_bio(bob.expect("bob registers"), "writes upgradable canisters".to_string());
                super::skip_ids(5);
            }
            "upgrade" => super::post_upgrade(),
            other => panic!("unknown stage {other}"),
        }
        report();
    }
}

fn main() {
    stable_lens_driver::run(&std::env::args().nth(1).expect("usage: canister install|upgrade"));
}
