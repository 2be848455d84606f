<#
.SYNOPSIS
  Build perfdesk for Windows: the one-folder bundle dist\perfdesk\ and the per-user installer
  dist\installer\perfdesk-<version>-setup.exe.

.DESCRIPTION
  Run from anywhere, in a PowerShell with Python 3.11+ on PATH (a venv is best):

      powershell -ExecutionPolicy Bypass -File packaging\build.ps1

  1. python -m pip install -e ".[package]"        (perfdesk + PyInstaller)
  2. pyinstaller --noconfirm --clean packaging\perfdesk.spec    -> dist\perfdesk\
  3. iscc /DAppVersion=<pyproject version> packaging\windows\perfdesk.iss
                                                   -> dist\installer\perfdesk-<version>-setup.exe
  Step 3 needs Inno Setup 6.3 or newer (https://jrsoftware.org/isdl.php); it is found on PATH, in
  the INNO_SETUP environment variable (the folder holding ISCC.exe) or in the usual install
  folders. -SkipInstaller builds only the bundle; -SkipInstall skips the pip step.
  PyInstaller's output goes to build\pyinstaller.log; its tail is shown when it fails.
#>
param(
    [switch]$SkipInstaller,
    [switch]$SkipInstall
)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
Set-Location $root
New-Item -ItemType Directory -Force -Path build | Out-Null
$log = Join-Path $root 'build\pyinstaller.log'
[IO.File]::WriteAllText($log, '')

# Through cmd.exe: Windows PowerShell 5.1 would turn the tools' stderr chatter into terminating
# errors (ErrorActionPreference Stop) and write the log as UTF-16.
function Invoke-Logged([string]$command) {
    cmd.exe /c "$command >> `"$log`" 2>&1"
    return $LASTEXITCODE
}

function Fail($what) {
    Write-Host "build.ps1: $what - last lines of ${log}:" -ForegroundColor Red
    Get-Content $log -Tail 40 | Write-Host
    exit 1
}

# The version is written once, in pyproject.toml.
$version = (& python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
if (-not $version) { Fail 'cannot read the version from pyproject.toml' }
# Windows' file version must be four numbers: 1.2.3rc1 -> 1.2.3.0
$numbers = @([regex]::Matches(($version -split '\+')[0], '\d+') | Select-Object -First 4 | ForEach-Object { $_.Value })
while ($numbers.Count -lt 4) { $numbers += '0' }
$numeric = $numbers -join '.'

$watch = [Diagnostics.Stopwatch]::StartNew()
if (-not $SkipInstall) {
    Write-Host '== pip install -e .[package]'
    if ((Invoke-Logged 'python -m pip install -q -e ".[package]"') -ne 0) { Fail 'pip install failed' }
}
Write-Host "== pyinstaller packaging\perfdesk.spec (log: $log)"
if ((Invoke-Logged 'python -m PyInstaller --noconfirm --clean --log-level WARN packaging\perfdesk.spec') -ne 0) {
    Fail 'PyInstaller failed'
}
foreach ($exe in 'perfdesk.exe', 'perfdesk-cli.exe') {
    if (-not (Test-Path "dist\perfdesk\$exe")) { Fail "dist\perfdesk\$exe was not built" }
}
$size = (Get-ChildItem dist\perfdesk -Recurse -File | Measure-Object Length -Sum).Sum / 1MB
Write-Host ("== built dist\perfdesk ({0:N0} MB) in {1:N0} s" -f $size, $watch.Elapsed.TotalSeconds)

& dist\perfdesk\perfdesk-cli.exe --version
if ($LASTEXITCODE -ne 0) { Fail 'the built perfdesk-cli.exe does not start' }

if ($SkipInstaller) { exit 0 }
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) {
    $candidates = @()
    if ($env:INNO_SETUP) { $candidates += Join-Path $env:INNO_SETUP 'ISCC.exe' }
    $candidates += "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
                   "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
                   "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
    $iscc = $candidates | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
}
if (-not $iscc) {
    Write-Host 'build.ps1: Inno Setup 6 (ISCC.exe) not found: install it from https://jrsoftware.org/isdl.php or set INNO_SETUP; the bundle dist\perfdesk is ready.' -ForegroundColor Yellow
    exit 1
}
Write-Host "== iscc perfdesk.iss (version $version)"
& $iscc /Q "/DAppVersion=$version" "/DNumericVersion=$numeric" packaging\windows\perfdesk.iss
if ($LASTEXITCODE -ne 0) { Write-Host 'build.ps1: iscc failed' -ForegroundColor Red; exit 1 }
Write-Host ("== installer: dist\installer\perfdesk-$version-setup.exe ({0:N0} s in all)" -f $watch.Elapsed.TotalSeconds)
