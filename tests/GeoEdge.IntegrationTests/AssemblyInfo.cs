// Each scenario runs a real geoedge process, a fleet server and (for PostgreSQL) a database cluster: one at a time keeps a
// small shared machine responsive, and no scenario's deadline has to absorb another's start-up.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
