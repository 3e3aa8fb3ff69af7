using System.Formats.Tar;
using System.IO.Compression;

namespace GeoEdge.Host.Tests;

/// <summary>deploy/: the systemd unit passes systemd-analyze verify, and install.sh installs into and removes from a
/// temporary root (--root, --no-start) exactly the files, accounts and board limits it promises.</summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeployTests
{
    private const string BoardConfig = """
        {
          "board": { "name": "test-board", "arch": "arm64", "cores": 4, "memoryMb": 4096, "accelerator": "none" },
          "runtime": { "executionProviders": ["cpu"], "onnxRuntimeLibrary": null, "intraOpThreads": 2,
                       "interOpThreads": 1, "memoryMaxMb": 384,
                       "cpuQuotaPercent": 250 },
          "stateDirectory": "/var/lib/geoedge"
        }
        """;

    private static string Unit => Path.Combine(RepositoryFiles.Root, "deploy", "geoedge.service");

    private static string InstallScript => Path.Combine(RepositoryFiles.Root, "deploy", "install.sh");

    [Fact]
    public void The_unit_passes_systemd_analyze_verify_without_a_single_complaint()
    {
        using var dir = new TempDirectory();
        // verify checks that ExecStart's binary exists and is executable: point a copy of the unit at a stand-in.
        string binary = dir.File("geoedge");
        File.WriteAllText(binary, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string unit = dir.File("geoedge.service");
        File.WriteAllText(unit, File.ReadAllText(Unit).Replace("/opt/geoedge/geoedge", binary, StringComparison.Ordinal));

        CliResult result = ProcessRunner.Run(SystemdAnalyze(), ["verify", unit], new Dictionary<string, string> { ["SYSTEMD_LOG_LEVEL"] = "notice" });

        Assert.True(result.ExitCode == 0, $"systemd-analyze verify exited {result.ExitCode}: {result.Stderr}");
        Assert.Equal(string.Empty, result.Stdout + result.Stderr);
    }

    [Fact]
    public void The_unit_runs_geoedge_as_a_notify_service_with_a_watchdog_and_only_the_gpio_i2c_and_spi_devices()
    {
        string[] lines = File.ReadAllLines(Unit);

        foreach (string expected in (string[])[
            "Type=notify", "NotifyAccess=main", "WatchdogSec=10", "Restart=on-failure",
            "ExecStart=/opt/geoedge/geoedge run --config /etc/geoedge/device.json", "User=geoedge",
            "StateDirectory=geoedge", "ConfigurationDirectory=geoedge", "SupplementaryGroups=gpio i2c spi",
            "ProtectSystem=strict", "ProtectHome=yes", "NoNewPrivileges=yes", "PrivateTmp=yes", "DevicePolicy=closed"])
        {
            Assert.Contains(expected, lines);
        }

        Assert.Equal(["DeviceAllow=char-gpiochip rw", "DeviceAllow=char-i2c rw", "DeviceAllow=char-spi rw"], [.. lines.Where(l => l.StartsWith("DeviceAllow=", StringComparison.Ordinal))]);
        Assert.DoesNotContain(lines, l => l.StartsWith("MemoryMax=", StringComparison.Ordinal) || l.StartsWith("CPUQuota=", StringComparison.Ordinal));
    }

    [Fact]
    public void Install_into_a_temporary_root_writes_binary_config_unit_accounts_and_the_board_limits()
    {
        using var dir = new TempDirectory();
        string root = SeedRoot(dir);
        string tarball = MakeTarball(dir, ("test-board", BoardConfig));

        CliResult result = Install(tarball, "--board", "test-board", "--root", root, "--no-start");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("fake geoedge", File.ReadAllText(Path.Combine(root, "opt/geoedge/geoedge")));
        Assert.True(File.GetUnixFileMode(Path.Combine(root, "opt/geoedge/geoedge")).HasFlag(UnixFileMode.OtherExecute));
        Assert.Equal("fake onnxruntime", File.ReadAllText(Path.Combine(root, "opt/geoedge/libonnxruntime.so")));
        Assert.Equal("fake providers", File.ReadAllText(Path.Combine(root, "opt/geoedge/libonnxruntime_providers_shared.so")));
        Assert.Equal(BoardConfig, File.ReadAllText(Path.Combine(root, "etc/geoedge/device.json")));
        Assert.Equal(File.ReadAllBytes(Unit), File.ReadAllBytes(Path.Combine(root, "etc/systemd/system/geoedge.service")));
        Assert.Equal(
            "# Written by install.sh from test-board.json (runtime.memoryMaxMb, runtime.cpuQuotaPercent).\n[Service]\nMemoryMax=384M\nCPUQuota=250%\n",
            File.ReadAllText(Path.Combine(root, "etc/systemd/system/geoedge.service.d/board.conf")));
        var wants = new FileInfo(Path.Combine(root, "etc/systemd/system/multi-user.target.wants/geoedge.service"));
        Assert.Equal("/etc/systemd/system/geoedge.service", wants.LinkTarget);
        Assert.True(File.Exists(Path.Combine(root, "etc/udev/rules.d/60-geoedge.rules")));
        Assert.Contains(File.ReadAllLines(Path.Combine(root, "etc/passwd")), l => l.StartsWith("geoedge:x:", StringComparison.Ordinal) && l.EndsWith(":/var/lib/geoedge:/usr/sbin/nologin", StringComparison.Ordinal));
        string[] groups = File.ReadAllLines(Path.Combine(root, "etc/group"));
        foreach (string group in (string[])["gpio", "i2c", "spi"])
        {
            Assert.Contains(groups, l => l.StartsWith($"{group}:x:", StringComparison.Ordinal) && l.EndsWith(":geoedge", StringComparison.Ordinal));
        }

        Assert.Contains("nothing was started", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_the_config_leaves_null_or_out_are_left_out_of_the_drop_in()
    {
        using var dir = new TempDirectory();
        string root = SeedRoot(dir);
        string config = dir.File("no-limits.json");
        File.WriteAllText(config, """{"board":{"name":"x"},"runtime":{"memoryMaxMb":null,"intraOpThreads":1}}""");

        CliResult result = Install(MakeTarball(dir), "--config", config, "--root", root, "--no-start");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(
            "# Written by install.sh from no-limits.json (runtime.memoryMaxMb, runtime.cpuQuotaPercent).\n[Service]\n",
            File.ReadAllText(Path.Combine(root, "etc/systemd/system/geoedge.service.d/board.conf")));
    }

    [Fact]
    public void Uninstall_keeps_the_state_directory_and_user_and_purge_removes_them()
    {
        using var dir = new TempDirectory();
        string root = SeedRoot(dir);
        Assert.Equal(0, Install(MakeTarball(dir, ("test-board", BoardConfig)), "--board", "test-board", "--root", root, "--no-start").ExitCode);
        string state = Path.Combine(root, "var/lib/geoedge");
        Directory.CreateDirectory(Path.Combine(state, "models"));
        File.WriteAllText(Path.Combine(state, "models", "active"), "shapes-dgcnn 1.0.0");

        CliResult uninstall = Install("--uninstall", "--root", root);

        Assert.True(uninstall.ExitCode == 0, uninstall.Stderr);
        foreach (string gone in (string[])["opt/geoedge", "etc/geoedge", "etc/systemd/system/geoedge.service", "etc/systemd/system/geoedge.service.d",
                     "etc/systemd/system/multi-user.target.wants/geoedge.service", "etc/udev/rules.d/60-geoedge.rules"])
        {
            Assert.False(Path.Exists(Path.Combine(root, gone)), $"{gone} is still there after --uninstall");
        }

        Assert.Equal("shapes-dgcnn 1.0.0", File.ReadAllText(Path.Combine(state, "models", "active")));
        Assert.Contains(File.ReadAllLines(Path.Combine(root, "etc/passwd")), l => l.StartsWith("geoedge:", StringComparison.Ordinal));

        CliResult purge = Install("--uninstall", "--purge", "--root", root);

        Assert.True(purge.ExitCode == 0, purge.Stderr);
        Assert.False(Directory.Exists(state));
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(root, "etc/passwd")), l => l.StartsWith("geoedge:", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_board_fails_naming_it_and_the_boards_the_tarball_has()
    {
        using var dir = new TempDirectory();
        string root = SeedRoot(dir);

        CliResult result = Install(MakeTarball(dir, ("rpi4", BoardConfig), ("jetson-orin", BoardConfig)), "--board", "rpi5", "--root", root);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'rpi5'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("jetson-orin", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("rpi4", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(root, "opt/geoedge/geoedge")));
    }

    private static CliResult Install(params string[] args) => ProcessRunner.Run("/bin/sh", [InstallScript, .. args]);

    /// <summary>A root with the account files useradd/groupadd --prefix edit (a real root has them from base-passwd).</summary>
    private static string SeedRoot(TempDirectory dir)
    {
        string root = dir.File("root");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(root, "etc/group"), "root:x:0:\n");
        File.WriteAllText(Path.Combine(root, "etc/shadow"), "root:*:19000:0:99999:7:::\n");
        File.WriteAllText(Path.Combine(root, "etc/gshadow"), "root:*::\n");
        return root;
    }

    /// <summary>A tarball laid out as build.sh packs one (geoedge-RID/...), with stand-in binaries and the given board configs.</summary>
    private static string MakeTarball(TempDirectory dir, params (string Board, string Json)[] boards)
    {
        string stage = dir.File("stage");
        string top = Path.Combine(stage, "geoedge-linux-arm64");
        Directory.CreateDirectory(Path.Combine(top, "device-configs"));
        File.WriteAllText(Path.Combine(top, "geoedge"), "fake geoedge");
        File.SetUnixFileMode(Path.Combine(top, "geoedge"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(top, "libonnxruntime.so"), "fake onnxruntime");
        File.WriteAllText(Path.Combine(top, "libonnxruntime_providers_shared.so"), "fake providers");
        foreach ((string board, string json) in boards)
        {
            File.WriteAllText(Path.Combine(top, "device-configs", board + ".json"), json);
        }

        string tarball = dir.File("geoedge-linux-arm64.tar.gz");
        using (FileStream file = File.Create(tarball))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            TarFile.CreateFromDirectory(stage, gzip, includeBaseDirectory: false);
        }

        return tarball;
    }

    private static string SystemdAnalyze()
    {
        foreach (string candidate in (string[])["/usr/bin/systemd-analyze", "/bin/systemd-analyze"])
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("systemd-analyze is not installed (apt-get install systemd; ./build.sh test installs it when missing)");
    }
}
