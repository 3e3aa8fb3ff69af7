using GeoEdge.FleetServer.Storage;
using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.FleetServer.Tests.Storage;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MigrationTests(PostgresCluster cluster)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Migrating_twice_applies_every_migration_once(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetDatabase database = test.Open();

        int first = await SchemaMigrator.MigrateAsync(database, _time, CancellationToken.None);
        int second = await SchemaMigrator.MigrateAsync(database, _time, CancellationToken.None);

        Assert.Equal(MigrationCatalog.All.Count, first);
        Assert.Equal(0, second);
        Assert.Equal(MigrationCatalog.LatestVersion, await SchemaMigrator.CurrentVersionAsync(database, CancellationToken.None));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Replicas_starting_together_apply_each_migration_exactly_once(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        FleetDatabase[] replicas = [test.Open(), test.Open(), test.Open(), test.Open()];
        try
        {
            int[] applied = await Task.WhenAll(replicas.Select(r => Task.Run(() => SchemaMigrator.MigrateAsync(r, _time, CancellationToken.None))));

            Assert.Equal(MigrationCatalog.All.Count, applied.Sum());
            await using SqlSession session = await replicas[0].OpenSessionAsync(CancellationToken.None);
            Assert.Equal(MigrationCatalog.All.Count, await session.ScalarInt64Async("SELECT COUNT(*) FROM schema_migrations", CancellationToken.None));
        }
        finally
        {
            foreach (FleetDatabase replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_later_migration_is_applied_on_top_of_an_earlier_schema(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetDatabase database = test.Open();
        await SchemaMigrator.MigrateAsync(database, _time, CancellationToken.None);
        var extended = new List<Migration>(MigrationCatalog.All)
        {
            new(MigrationCatalog.LatestVersion + 1, "extra", "CREATE TABLE extra_things (id {{identity}}, payload {{blob}} NULL);\nINSERT INTO extra_things (payload) VALUES (NULL);\n"),
        };

        int applied = await SchemaMigrator.MigrateAsync(database, _time, CancellationToken.None, extended);

        Assert.Equal(1, applied);
        await using SqlSession session = await database.OpenSessionAsync(CancellationToken.None);
        Assert.Equal(1, await session.ScalarInt64Async("SELECT COUNT(*) FROM extra_things", CancellationToken.None));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_database_migrated_by_a_newer_server_is_refused(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetDatabase database = test.Open();
        await SchemaMigrator.MigrateAsync(database, _time, CancellationToken.None);
        await using (SqlSession session = await database.OpenSessionAsync(CancellationToken.None))
        {
            await session.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, 'from_the_future', 0)",
                CancellationToken.None, ("v", (long)MigrationCatalog.LatestVersion + 1));
        }

        SchemaTooNewException error = await Assert.ThrowsAsync<SchemaTooNewException>(
            () => SchemaMigrator.MigrateAsync(database, _time, CancellationToken.None));

        Assert.Equal(MigrationCatalog.LatestVersion + 1, error.DatabaseVersion);
        Assert.Equal(MigrationCatalog.LatestVersion, error.CodeVersion);
        Assert.Contains("newer than this server's", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_failing_migration_leaves_no_half_applied_schema(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetDatabase database = test.Open();
        await SchemaMigrator.MigrateAsync(database, _time, CancellationToken.None);
        var broken = new List<Migration>(MigrationCatalog.All)
        {
            new(MigrationCatalog.LatestVersion + 1, "broken", "CREATE TABLE half_done (id BIGINT);\nTHIS IS NOT SQL;\n"),
        };

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => SchemaMigrator.MigrateAsync(database, _time, CancellationToken.None, broken));

        Assert.Equal(MigrationCatalog.LatestVersion, await SchemaMigrator.CurrentVersionAsync(database, CancellationToken.None));
        await using SqlSession session = await database.OpenSessionAsync(CancellationToken.None);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => session.ScalarInt64Async("SELECT COUNT(*) FROM half_done", CancellationToken.None));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Migration_file_names_give_number_and_name()
    {
        Assert.Equal((12, "rollout_stages"), MigrationCatalog.ParseFileName("0012_rollout_stages.sql"));
        Assert.Throws<InvalidOperationException>(() => MigrationCatalog.ParseFileName("rollouts.sql"));
        Assert.Equal("core", MigrationCatalog.All[0].Name);
        Assert.Equal(1, MigrationCatalog.All[0].Version);
    }
}
