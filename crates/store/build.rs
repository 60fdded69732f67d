// `sqlx::migrate!` embeds the migration files at compile time; without this, a new file
// in `migrations/` is not seen until something else makes the crate rebuild.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
