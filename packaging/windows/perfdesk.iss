; perfdesk — Inno Setup 6 script: a per-user installer that needs no administrator rights.
;
; Build on Windows after PyInstaller made dist\perfdesk (packaging\build.ps1 does both):
;   iscc /DAppVersion=0.1.0 packaging\windows\perfdesk.iss
; Defines (iscc /DName=value):
;   AppVersion      required: the version from pyproject.toml (build.ps1 reads it from there)
;   NumericVersion  optional: a.b.c.d for the file's version resource (defaults to AppVersion)
;   BundleDir       optional: the PyInstaller output folder (default ..\..\dist\perfdesk)
;   Compression     optional: Inno Setup's Compression= (default lzma2/max; CI's upgrade check
;                   builds its second installer with a faster one)
; Output: dist\installer\perfdesk-<version>-setup.exe
;
; Where things live on the clerk's PC:
;   program   %LOCALAPPDATA%\Programs\perfdesk    (this installer; replaced on upgrade)
;   data      %LOCALAPPDATA%\perfdesk             (perfdesk.db, backups, logs — written by the
;                                                  program, never by this installer)
; The uninstaller removes only what it installed, i.e. the program folder: the user's data and
; backups live in %LOCALAPPDATA%\perfdesk, outside the install folder, so they are kept (and the
; uninstaller says where they are). Nothing here writes to HKLM or Program Files.
;
; This file is UTF-8 with a byte-order mark: Inno Setup needs the BOM to read the Chinese text.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z perfdesk.iss (packaging\build.ps1 does)
#endif
#ifndef NumericVersion
  #define NumericVersion AppVersion
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\perfdesk"
#endif
#ifndef Compression
  #define Compression "lzma2/max"
#endif
#define AppName "perfdesk"
#define AppTitle "perfdesk 部门整体支出绩效自评"

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{E341E5FE-BF2A-4B1F-B89A-3E499DA86410}
AppName={#AppTitle}
AppVersion={#AppVersion}
AppVerName={#AppTitle} {#AppVersion}
AppPublisher=perfdesk
VersionInfoVersion={#NumericVersion}
VersionInfoProductName={#AppTitle}
; Per user: no UAC prompt, installs into the user's own folder.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppTitle}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
OutputDir=..\..\dist\installer
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile=..\icons\perfdesk.ico
UninstallDisplayIcon={app}\perfdesk.exe
UninstallDisplayName={#AppTitle}
WizardStyle=modern
Compression={#Compression}
SolidCompression=yes
; The bundle is 64-bit (needs Inno Setup 6.3 or newer for "x64compatible").
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; An open perfdesk is closed (after asking) before its files are replaced.
CloseApplications=yes
RestartApplications=no
; Always Chinese: the clerk's wizard should not depend on the Windows display language.
LanguageDetectionMethod=none
ShowLanguageDialog=no

[Languages]
; ChineseSimplified.isl is an official translation only in recent Inno Setup versions; older ones
; ship it under Languages\Unofficial or not at all. Use the first copy found; a copy placed beside
; this script also works; failing all, Default.isl with the Chinese texts in [Messages] below.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
  #define ChineseMessages "official"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\Unofficial\ChineseSimplified.isl"
  #define ChineseMessages "unofficial"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"
  #define ChineseMessages "local copy"
#else
Name: "chinesesimplified"; MessagesFile: "compiler:Default.isl"
  #define ChineseMessages "built in"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

#if ChineseMessages == "built in"
[LangOptions]
chinesesimplified.LanguageName=简体中文
chinesesimplified.LanguageID=$0804

[Messages]
; The wizard's own words in Chinese, for an Inno Setup without ChineseSimplified.isl.
chinesesimplified.SetupAppTitle=安装
chinesesimplified.SetupWindowTitle=安装 - %1
chinesesimplified.UninstallAppTitle=卸载
chinesesimplified.UninstallAppFullTitle=%1 卸载
chinesesimplified.InformationTitle=信息
chinesesimplified.ConfirmTitle=确认
chinesesimplified.ErrorTitle=错误
chinesesimplified.ExitSetupTitle=退出安装
chinesesimplified.ExitSetupMessage=安装尚未完成。如果现在退出，程序将不会被安装。%n%n您可以以后再运行安装程序完成安装。%n%n确定退出安装吗？
chinesesimplified.ButtonBack=< 上一步(&B)
chinesesimplified.ButtonNext=下一步(&N) >
chinesesimplified.ButtonInstall=安装(&I)
chinesesimplified.ButtonOK=确定
chinesesimplified.ButtonCancel=取消
chinesesimplified.ButtonYes=是(&Y)
chinesesimplified.ButtonNo=否(&N)
chinesesimplified.ButtonFinish=完成(&F)
chinesesimplified.ButtonBrowse=浏览(&B)...
chinesesimplified.ButtonWizardBrowse=浏览(&R)...
chinesesimplified.ClickNext=点击“下一步”继续，或点击“取消”退出安装。
chinesesimplified.WelcomeLabel1=欢迎使用 [name] 安装向导
chinesesimplified.WelcomeLabel2=本向导将在您的电脑上安装 [name/ver]。%n%n安装不需要管理员权限。建议在继续之前关闭其他程序。
chinesesimplified.WizardSelectDir=选择安装位置
chinesesimplified.SelectDirDesc=要把 [name] 安装到哪里？
chinesesimplified.SelectDirLabel3=安装程序将把 [name] 安装到下面的文件夹中。
chinesesimplified.SelectDirBrowseLabel=点击“下一步”继续。如需选择其他文件夹，请点击“浏览”。
chinesesimplified.DiskSpaceMBLabel=至少需要 [mb] MB 的可用磁盘空间。
chinesesimplified.WizardSelectTasks=选择附加任务
chinesesimplified.SelectTasksDesc=要执行哪些附加任务？
chinesesimplified.SelectTasksLabel2=请选择安装 [name] 时要执行的附加任务，然后点击“下一步”。
chinesesimplified.WizardReady=准备安装
chinesesimplified.ReadyLabel1=安装程序已准备好在您的电脑上安装 [name]。
chinesesimplified.ReadyLabel2a=点击“安装”开始安装；如需查看或修改设置，请点击“上一步”。
chinesesimplified.ReadyLabel2b=点击“安装”开始安装。
chinesesimplified.ReadyMemoDir=安装位置：
chinesesimplified.ReadyMemoTasks=附加任务：
chinesesimplified.WizardPreparing=正在准备安装
chinesesimplified.PreparingDesc=安装程序正在准备在您的电脑上安装 [name]。
chinesesimplified.ApplicationsFound=下列程序正在使用需要更新的文件。建议让安装程序自动关闭这些程序。
chinesesimplified.ApplicationsFound2=下列程序正在使用需要更新的文件。建议让安装程序自动关闭这些程序。安装完成后，安装程序将尝试重新启动它们。
chinesesimplified.CloseApplications=自动关闭这些程序(&A)
chinesesimplified.DontCloseApplications=不关闭这些程序(&D)
chinesesimplified.WizardInstalling=正在安装
chinesesimplified.InstallingLabel=正在您的电脑上安装 [name]，请稍候。
chinesesimplified.FinishedHeadingLabel=[name] 安装完成
chinesesimplified.FinishedLabelNoIcons=[name] 已安装到您的电脑上。
chinesesimplified.FinishedLabel=[name] 已安装到您的电脑上。可以通过开始菜单或桌面上的快捷方式启动程序。
chinesesimplified.ClickFinish=点击“完成”退出安装。
chinesesimplified.RunEntryExec=运行 %1
chinesesimplified.SetupAborted=安装未完成。%n%n请解决问题后重新运行安装程序。
chinesesimplified.StatusExtractFiles=正在解压文件...
chinesesimplified.StatusCreateIcons=正在创建快捷方式...
chinesesimplified.StatusSavingUninstall=正在保存卸载信息...
chinesesimplified.StatusRollback=正在撤销更改...
chinesesimplified.ConfirmUninstall=确定要卸载 %1 吗？%n%n您的数据和备份不会被删除。
chinesesimplified.UninstallStatusLabel=正在从您的电脑上卸载 %1，请稍候。
chinesesimplified.UninstalledAll=%1 已从您的电脑上卸载。
chinesesimplified.UninstallAppRunningError=卸载程序检测到 %1 正在运行。%n%n请先关闭它，然后点击“确定”继续，或点击“取消”退出。
chinesesimplified.SetupAppRunningError=安装程序检测到 %1 正在运行。%n%n请先关闭它，然后点击“确定”继续，或点击“取消”退出。
#endif

[CustomMessages]
chinesesimplified.ShortcutsGroup=快捷方式：
chinesesimplified.DesktopShortcut=在桌面创建快捷方式
chinesesimplified.StartProgram=启动 perfdesk
chinesesimplified.UninstallShortcut=卸载 perfdesk
chinesesimplified.ProgramComment=录入、审核并打印部门（单位）整体支出绩效自评报告
chinesesimplified.DataKept=perfdesk 已卸载。%n%n您的数据、备份和日志仍保留在：%n%1%n%n重新安装后可继续使用；如确实不再需要，可手动删除该文件夹。
english.ShortcutsGroup=Shortcuts:
english.DesktopShortcut=Create a desktop shortcut
english.StartProgram=Start perfdesk
english.UninstallShortcut=Uninstall perfdesk
english.ProgramComment=Enter, check and print the yearly performance self-evaluation report
english.DataKept=perfdesk was uninstalled.%n%nYour data, backups and logs are kept in:%n%1%n%nReinstall to use them again, or delete that folder by hand if you no longer need it.

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopShortcut}"; GroupDescription: "{cm:ShortcutsGroup}"

[InstallDelete]
; An upgrade replaces the whole runtime: files of the previous version must not linger beside the
; new ones. Safe because the program never writes into its own folder.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; Started in the user's Documents folder, so even a relative path could never land in {app}.
Name: "{group}\{#AppTitle}"; Filename: "{app}\perfdesk.exe"; WorkingDir: "{userdocs}"; Comment: "{cm:ProgramComment}"
Name: "{group}\{cm:UninstallShortcut}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\{#AppTitle}"; Filename: "{app}\perfdesk.exe"; WorkingDir: "{userdocs}"; Comment: "{cm:ProgramComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\perfdesk.exe"; Description: "{cm:StartProgram}"; WorkingDir: "{userdocs}"; Flags: nowait postinstall skipifsilent

[Code]
// Tell the clerk, after uninstalling, that the data is still there and where.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{localappdata}\{#AppName}')]),
      mbInformation, MB_OK);
end;
