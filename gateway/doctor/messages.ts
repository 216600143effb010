/**
 * Everything doctor prints, in Simplified Chinese first and in English
 * (`--lang en`): one table per language with the same keys (the type says
 * so, and a test checks it). A message is a function of its finding's
 * parameters; parameters never hold a secret's value.
 */
type P = Record<string, string | number>;
type Template = (p: P) => string;

/** The CA a TLS finding names: a file, or Node's built-in roots (plus NODE_EXTRA_CA_CERTS). */
const caZh = (p: P) => (p.ca && !String(p.ca).startsWith('+') ? `CA 文件 ${p.ca}` : `系统内置根证书${p.ca ? `（另加 NODE_EXTRA_CA_CERTS=${String(p.ca).slice(1)}）` : ''}`);
const caEn = (p: P) => (p.ca && !String(p.ca).startsWith('+') ? `CA file ${p.ca}` : `Node's built-in root CAs${p.ca ? ` (plus NODE_EXTRA_CA_CERTS=${String(p.ca).slice(1)})` : ''}`);

export const ZH = {
  'state.pass': () => '通过',
  'state.warn': () => '警告',
  'state.fail': () => '失败',
  'state.skip': () => '未检查',
  'label.fix': () => '处理办法',
  'summary.ok': (p) => `检查完成：${p.pass} 项通过，${p.warn} 项警告，没有失败项。`,
  'summary.failed': (p) => `检查完成：${p.fail} 项失败，${p.warn} 项警告，${p.pass} 项通过。请按“处理办法”逐项处理后再运行 credit-gateway doctor。`,

  'title.config': () => '配置文件',
  'title.secrets': () => '密钥文件',
  'title.sources': () => '数据源',
  'title.source': (p) => `数据源 ${p.subject}`,
  'title.sourceClock': (p) => `数据源 ${p.subject} 的时钟与时区`,
  'title.platform': () => '平台连通与 TLS',
  'title.auth': () => '平台身份认证',
  'title.platformClock': () => '本机时钟（与平台对比）',
  'title.disk': () => '磁盘空间',
  'title.store': () => '本地存储完整性',
  'title.storePrivacy': () => '数据目录权限',
  'title.service': () => '服务运行状态',
  'title.version': () => '软件与存储版本',

  'skip.config': () => '配置文件无法读取，本项无法检查。',
  'skip.secrets': () => '密钥无法读取，本项无法检查。',
  'skip.platform': () => '未能连到平台，本项无法检查。',

  'config.ok': (p) => `${p.file} 有效（${p.sources} 个数据源，${p.jobs} 个任务）。`,
  'config.invalid': (p) => `${p.file} 无效（${p.code}）：${p.detail}`,
  'config.unreadable.fix': () => '确认配置文件路径；若是权限不足，请以网关的服务用户或 root 运行 doctor，例如 sudo -u credit-gateway credit-gateway doctor。',
  'config.invalid.fix': () => '按提示的字段路径修改配置文件，然后运行 credit-gateway config check 文件名 确认。',

  'secrets.ok': (p) => `${p.file} 仅属主可读，配置引用的 ${p.count} 个密钥均已设置。`,
  'secrets.okEnv': (p) => `配置引用的 ${p.count} 个密钥均已由环境变量设置（未配置密钥文件）。`,
  'secrets.unreadable': (p) => `密钥文件 ${p.file} 无法使用：${p.detail}`,
  'secrets.unreadable.fix': (p) => `用 credit-gateway secrets set 名称 -f ${p.file} 逐个写入密钥（文件以 600 权限创建）。`,
  'secrets.loose': (p) => `密钥文件 ${p.file} 的权限为 ${p.mode}，本机其他用户可以读取，网关会拒绝启动。`,
  'secrets.loose.fix': (p) => `以网关用户运行 chmod 600 ${p.file}；如怀疑已泄露，请向信用中心申请更换平台密钥并修改数据库口令。`,
  'secrets.missing': (p) => `以下密钥未设置：${p.names}`,
  'secrets.missing.fix': (p) => `运行 credit-gateway secrets set ${p.first} -f ${p.file}（输入时不显示），其余同理；或设置环境变量 ${p.env}。`,
  'secrets.missing.envFix': (p) => `设置环境变量 ${p.env}（其余同理），或在配置中用 secrets.file 指定密钥文件。`,

  'sources.fromBundle': (p) => `网关运行信用中心下发的配置包（版本 ${p.version}），其中有 ${p.count} 个数据源，以下逐个检查。`,
  'sources.none': () => '本地配置没有数据源（数据源可能由信用中心下发的配置包提供）。',
  'source.ok': (p) => `可以连接（${p.version}），账号只读。`,
  'source.okFile': (p) => `数据库文件可以只读打开（${p.version}）。`,
  'source.okUnknownWrite': (p) => `可以连接（${p.version}）；该数据库无法判断账号是否有写权限。`,
  'source.writable': (p) => `可以连接（${p.version}），但账号 ${p.user} 有写权限。网关只读数据，但有写权限的账号一旦泄露就可能被用来修改业务数据。`,
  'source.writable.fix': () => '请数据库管理员为网关建一个只有 SELECT 权限的账号（或收回该账号的写权限），并改用它。',
  'source.refused': (p) => `本地配置不允许该数据源：${p.detail}`,
  'source.refused.fix': () => '按提示修改本地配置的 secrets.allow 或 control.allowPaths，或请信用中心改正配置包。',
  'source.unreachable': (p) => `无法连接（${p.kind}）：${p.detail}`,
  'source.unreachable.fix': () => '检查数据库是否运行、地址端口是否可达，以及账号和口令是否正确（口令在密钥文件中，可用 credit-gateway secrets set 重新写入）。',
  'source.folderOk': (p) => `投放目录 ${p.folder} 可用。`,
  'source.folderMissing': (p) => `投放目录 ${p.folder} 不可用：${p.detail}`,
  'source.folderMissing.fix': (p) => `创建 ${p.folder}/incoming（以及 processed、rejected），并让网关用户可读写。`,

  'sourceClock.ok': (p) => `数据库时钟与本机相差 ${p.offsetSecs} 秒；数据库时区 ${p.dbZone}，配置的时区 ${p.zone}。`,
  'sourceClock.off': (p) => `数据库时钟与本机相差 ${p.offsetSecs} 秒（数据库时区 ${p.dbZone}）。增量读取按数据库时钟计算，不受影响，但两台机器的时间应一致。`,
  'sourceClock.off.fix': () => '为数据库服务器和本机配置同一个 NTP 时间源。',
  'sourceClock.zoneDiffers': (p) => `数据库报告的时区 ${p.dbZone} 与配置的 timeZone ${p.zone} 不一致，不带时区的时间值可能被错读。`,
  'sourceClock.zoneDiffers.fix': () => '确认业务数据按哪个时区写入，并把数据源的 timeZone 设为它（通常为 Asia/Shanghai）。',

  'platform.ok': (p) => `${p.url} 可以访问（${p.protocol}）；使用 ${caZh(p)} 验证，平台证书 ${p.certSubject}，签发者 ${p.issuer}，有效期至 ${p.validTo}（还有 ${p.days} 天）。`,
  'platform.okPlain': (p) => `${p.url} 可以访问（本机回环地址，未使用 TLS）。`,
  'platform.certExpiring': (p) => `${p.url} 可以访问，但平台证书 ${p.certSubject} 将于 ${p.validTo} 到期（还有 ${p.days} 天）。`,
  'platform.certExpiring.fix': () => '告知信用中心平台证书即将到期；如到期后换了 CA，需更新 platform.caFile。',
  'platform.tlsFailed': (p) => `与 ${p.url} 的 TLS 连接失败（${p.code}）${p.detail ? `：${p.detail}` : ''}；使用 ${caZh(p)}，平台证书 ${p.certSubject}，有效期至 ${p.validTo}。`,
  'platform.tlsFailed.fix': () => '确认 platform.caFile 是信用中心提供的政务 CA 证书，platform.url 中的主机名与平台证书一致；使用客户端证书时检查 clientCertFile 和 clientKeyFile。',
  'platform.unreachable': (p) => `无法访问平台 ${p.url}（${p.code}）：${p.detail}`,
  'platform.unreachable.fix': () => '检查政务外网连接、防火墙和 platform.url；平台恢复前数据在本地排队，不会丢失。',
  'platform.settings': (p) => `平台设置不可用（${p.url}）：${p.detail}`,
  'platform.settings.fix': () => '检查 gateway.id、platform.url（外网只能用 https://）和平台密钥。',

  'auth.ok': (p) => `平台接受了网关 ${p.gatewayId} 的签名（心跳成功）。`,
  'auth.secret': (p) => `平台拒绝了签名：${p.detail}。本机时钟没有问题，应是平台密钥不对。`,
  'auth.secret.fix': (p) => `向信用中心核对网关 ${p.gatewayId} 的密钥，用 credit-gateway secrets set ${p.secretRef} -f 密钥文件 重新写入。`,
  'auth.clock': (p) => `平台因时间戳拒绝了请求：${p.detail}。本机时钟与平台相差超过 300 秒。`,
  'auth.clock.fix': () => '校正本机时钟（配置 NTP，如 timedatectl set-ntp true 或 chrony），然后再运行 doctor。',

  'platformClock.ok': (p) => `本机时钟与平台相差 ${p.offsetSecs} 秒。`,
  'platformClock.off': (p) => `本机时钟与平台相差 ${p.offsetSecs} 秒（超过 60 秒警告，超过 300 秒平台会拒绝请求；网关会暂按平台时间签名，但时钟仍需校正）。`,
  'platformClock.off.fix': () => '为本机配置 NTP 时间源（timedatectl set-ntp true，或 chrony 指向单位的时间服务器）。',
  'platformClock.unknown': () => '平台的应答没有给出时间，无法比较时钟。',
  'platformClock.unknown.fix': () => '确认本机已配置 NTP。',

  'disk.ok': (p) => `${p.dataDir} 所在磁盘可用 ${p.freeMiB} MiB（下限 store.minFreeMiB ${p.minFreeMiB} MiB），存储占用 ${p.storeMiB} MiB。`,
  'disk.okCap': (p) => `${p.dataDir} 所在磁盘可用 ${p.freeMiB} MiB（下限 ${p.minFreeMiB} MiB），存储占用 ${p.storeMiB} MiB，上限 store.maxSizeMiB ${p.maxSizeMiB} MiB。`,
  'disk.low': (p) => `${p.dataDir} 所在磁盘只剩 ${p.freeMiB} MiB，低于 store.minFreeMiB（${p.minFreeMiB} MiB）：网关会暂停读取数据（发送继续）。`,
  'disk.low.fix': () => '清理该磁盘或扩容；空间恢复后读取自动继续。也可以调低 store.minFreeMiB。',
  'disk.tight': (p) => `${p.dataDir} 所在磁盘只剩 ${p.freeMiB} MiB，接近暂停读取的下限（${p.minFreeMiB} MiB，另需预留 ${p.reserveMiB} MiB）。`,
  'disk.cap': (p) => `存储已占用 ${p.storeMiB} MiB，达到 store.maxSizeMiB（${p.maxSizeMiB} MiB）：读取暂停，直到平台收走排队的数据。`,
  'disk.cap.fix': () => '先检查平台能否正常接收（见“平台连通”一项）；磁盘充足时可调高 store.maxSizeMiB。',
  'disk.nearCap': (p) => `存储已占用 ${p.storeMiB} MiB，接近 store.maxSizeMiB（${p.maxSizeMiB} MiB）。`,

  'store.ok': (p) => `${p.dataDir} 中的存储完好（quick_check 通过），待发送 ${p.pending} 条。`,
  'store.notYet': (p) => `${p.dataDir} 中还没有存储，首次启动时创建。`,
  'store.lost': (p) => `存储丢失或被清空（${p.code}）：${p.detail}`,
  'store.damaged': (p) => `存储文件已损坏（${p.code}）：${p.detail}`,
  'store.replaced': (p) => `存储文件不是本数据目录上次使用的那个（${p.code}）：${p.detail}`,
  'store.recover.fix': () => '如有正确的 gateway.sqlite 备份请放回；否则停止网关后运行 credit-gateway store recover --config 配置文件（原文件改名保留，新存储的序号接续，各任务重新读取数据源，不会丢数据）。',
  'store.unreadable': (p) => `无法读取数据目录 ${p.dataDir}：${p.detail}`,
  'store.unreadable.fix': () => '请以网关的服务用户（credit-gateway）或 root 运行 doctor，例如 sudo -u credit-gateway credit-gateway doctor --config 配置文件。',

  'storePrivacy.ok': (p) => `${p.dataDir} 仅网关用户可访问（目录 700，文件 600）。`,
  'storePrivacy.loose': (p) => `以下文件或目录其他用户可以访问：${p.files}。网关会拒绝启动。`,
  'storePrivacy.loose.fix': (p) => `以网关用户运行：${p.commands}`,

  'service.systemdActive': (p) => `systemd 服务 ${p.unit} 正在运行。`,
  'service.systemdFailed': (p) => `systemd 服务 ${p.unit} 处于失败状态。`,
  'service.systemdFailed.fix': (p) => `用 journalctl -u ${p.unit} -n 100 查看原因，处理后运行 systemctl restart ${p.unit}。`,
  'service.systemdInactive': (p) => `systemd 服务 ${p.unit} 没有运行（${p.state}）。`,
  'service.systemdInactive.fix': (p) => `运行 systemctl enable --now ${p.unit}，再用 systemctl status ${p.unit} 确认。`,
  'service.running': (p) => `网关正在运行（进程 ${p.pid}，${p.command}，自 ${p.since}），状态页 ${p.page} 有应答。`,
  'service.runningNoPage': (p) => `网关正在运行（进程 ${p.pid}，${p.command}，自 ${p.since}）；状态页没有应答或未开启。`,
  'service.stopped': () => '网关没有运行（没有进程持有数据目录）。',
  'service.stopped.fix': () => '运行 credit-gateway start --config 配置文件（或按安装说明启动服务）。',

  'version.ok': (p) => `软件版本 ${p.software}，存储版本 ${p.store}（与本版本一致）；当前安装 ${p.current}，上一版本 ${p.previous}。`,
  'version.noStore': (p) => `软件版本 ${p.software}；还没有存储（本版本的存储版本为 ${p.build}）。`,
  'version.storeOlder': (p) => `软件版本 ${p.software}，存储版本 ${p.store} 低于本版本的 ${p.build}：下次启动时升级存储。`,
  'version.storeOlder.fix': () => '无需操作；升级前会自动备份存储。如需回退，先运行 credit-gateway store backup 文件名 留一份备份。',
  'version.storeNewer': (p) => `存储版本 ${p.store} 高于本软件（${p.software}）支持的 ${p.build}：它由更新的版本写入，本版本不能使用它。`,
  'version.storeNewer.fix': (p) => `改用写入它的较新版本（当前安装 ${p.current}，上一版本 ${p.previous}，位于 /opt/credit-gateway/）；不要用旧版本启动。`,
} satisfies Record<string, Template>;

export type MessageKey = keyof typeof ZH;

export const EN: Record<MessageKey, Template> = {
  'state.pass': () => 'PASS',
  'state.warn': () => 'WARN',
  'state.fail': () => 'FAIL',
  'state.skip': () => 'SKIP',
  'label.fix': () => 'fix',
  'summary.ok': (p) => `done: ${p.pass} passed, ${p.warn} warnings, nothing failed.`,
  'summary.failed': (p) => `done: ${p.fail} failed, ${p.warn} warnings, ${p.pass} passed. Apply each fix, then run credit-gateway doctor again.`,

  'title.config': () => 'configuration',
  'title.secrets': () => 'secrets',
  'title.sources': () => 'sources',
  'title.source': (p) => `source ${p.subject}`,
  'title.sourceClock': (p) => `clock and time zone of source ${p.subject}`,
  'title.platform': () => 'platform reachable, TLS',
  'title.auth': () => 'platform authentication',
  'title.platformClock': () => "this machine's clock against the platform",
  'title.disk': () => 'disk space',
  'title.store': () => 'store integrity',
  'title.storePrivacy': () => 'data folder permissions',
  'title.service': () => 'service state',
  'title.version': () => 'software and store version',

  'skip.config': () => 'not checked: the configuration cannot be read.',
  'skip.secrets': () => 'not checked: the secrets cannot be read.',
  'skip.platform': () => 'not checked: the platform was not reached.',

  'config.ok': (p) => `${p.file} is valid (${p.sources} sources, ${p.jobs} jobs).`,
  'config.invalid': (p) => `${p.file} is not valid (${p.code}): ${p.detail}`,
  'config.unreadable.fix': () => "check the file's path; if permission was refused, run doctor as the gateway's service user or root, e.g. sudo -u credit-gateway credit-gateway doctor.",
  'config.invalid.fix': () => 'correct the members named, then confirm with credit-gateway config check FILE.',

  'secrets.ok': (p) => `${p.file} is readable by its owner only; all ${p.count} secrets the configuration names are set.`,
  'secrets.okEnv': (p) => `all ${p.count} secrets the configuration names are set in the environment (no secrets file).`,
  'secrets.unreadable': (p) => `the secrets file ${p.file} cannot be used: ${p.detail}`,
  'secrets.unreadable.fix': (p) => `write each secret with credit-gateway secrets set NAME -f ${p.file} (the file is created with mode 600).`,
  'secrets.loose': (p) => `the secrets file ${p.file} has mode ${p.mode}: other users of this machine can read it, and the gateway refuses to start.`,
  'secrets.loose.fix': (p) => `run chmod 600 ${p.file} as the gateway user; if it may have leaked, ask the credit center for a new platform secret and change the database passwords.`,
  'secrets.missing': (p) => `these secrets are not set: ${p.names}`,
  'secrets.missing.fix': (p) => `run credit-gateway secrets set ${p.first} -f ${p.file} (typed without being shown), and so on; or set ${p.env}.`,
  'secrets.missing.envFix': (p) => `set ${p.env} (and so on), or name a secrets file in secrets.file.`,

  'sources.fromBundle': (p) => `the gateway runs the credit center's bundle version ${p.version}, with ${p.count} sources, each checked below.`,
  'sources.none': () => "the local configuration has no sources (the credit center's bundle may bring them).",
  'source.ok': (p) => `reachable (${p.version}); the account is read-only.`,
  'source.okFile': (p) => `the database file opens read-only (${p.version}).`,
  'source.okUnknownWrite': (p) => `reachable (${p.version}); this database cannot tell whether the account may write.`,
  'source.writable': (p) => `reachable (${p.version}), but the account ${p.user} can write. The gateway only reads, but an account that can write is one leak away from changing the department's data.`,
  'source.writable.fix': () => 'ask the database administrator for an account with SELECT only (or to revoke the write grants), and use it.',
  'source.refused': (p) => `the local configuration does not allow this source: ${p.detail}`,
  'source.refused.fix': () => "correct secrets.allow or control.allowPaths in the local configuration, or ask the credit center to correct the bundle.",
  'source.unreachable': (p) => `cannot connect (${p.kind}): ${p.detail}`,
  'source.unreachable.fix': () => 'check that the database runs and its host and port are reachable, and that the user and password are right (the password is in the secrets file: credit-gateway secrets set writes it again).',
  'source.folderOk': (p) => `the drop folder ${p.folder} is usable.`,
  'source.folderMissing': (p) => `the drop folder ${p.folder} is not usable: ${p.detail}`,
  'source.folderMissing.fix': (p) => `create ${p.folder}/incoming (and processed, rejected), readable and writable by the gateway user.`,

  'sourceClock.ok': (p) => `the database clock is ${p.offsetSecs} s from this machine's; database zone ${p.dbZone}, configured zone ${p.zone}.`,
  'sourceClock.off': (p) => `the database clock is ${p.offsetSecs} s from this machine's (database zone ${p.dbZone}). Incremental reads go by the database clock and are not affected, but both machines should agree.`,
  'sourceClock.off.fix': () => 'give the database server and this machine the same NTP time source.',
  'sourceClock.zoneDiffers': (p) => `the database reports zone ${p.dbZone}, the source is configured with timeZone ${p.zone}: times without a zone may be read wrongly.`,
  'sourceClock.zoneDiffers.fix': () => "find out which zone the business data is written in and set the source's timeZone to it (usually Asia/Shanghai).",

  'platform.ok': (p) => `${p.url} is reachable (${p.protocol}); verified with ${caEn(p)}; certificate ${p.certSubject}, issued by ${p.issuer}, valid until ${p.validTo} (${p.days} days left).`,
  'platform.okPlain': (p) => `${p.url} is reachable (loopback, no TLS).`,
  'platform.certExpiring': (p) => `${p.url} is reachable, but the platform certificate ${p.certSubject} ends on ${p.validTo} (${p.days} days left).`,
  'platform.certExpiring.fix': () => 'tell the credit center the certificate is about to expire; if a new CA signs its successor, update platform.caFile.',
  'platform.tlsFailed': (p) => `the TLS connection to ${p.url} failed (${p.code})${p.detail ? `: ${p.detail}` : ''}; using ${caEn(p)}; certificate ${p.certSubject}, valid until ${p.validTo}.`,
  'platform.tlsFailed.fix': () => "check that platform.caFile is the government CA certificate the credit center gave, and that the host in platform.url is the one on the platform's certificate; with a client certificate check clientCertFile and clientKeyFile.",
  'platform.unreachable': (p) => `the platform ${p.url} cannot be reached (${p.code}): ${p.detail}`,
  'platform.unreachable.fix': () => 'check the extranet connection, the firewall and platform.url; records stay queued here until the platform is back, nothing is lost.',
  'platform.settings': (p) => `the platform settings cannot be used (${p.url}): ${p.detail}`,
  'platform.settings.fix': () => 'check gateway.id, platform.url (https:// beyond this machine) and the platform secret.',

  'auth.ok': (p) => `the platform accepted the signature of gateway ${p.gatewayId} (heartbeat answered).`,
  'auth.secret': (p) => `the platform refused the signature: ${p.detail}. The clock is not the cause: the platform secret is wrong.`,
  'auth.secret.fix': (p) => `check gateway ${p.gatewayId}'s secret with the credit center and write it again with credit-gateway secrets set ${p.secretRef} -f SECRETS_FILE.`,
  'auth.clock': (p) => `the platform refused the request timestamp: ${p.detail}. This machine's clock is more than 300 s from the platform's.`,
  'auth.clock.fix': () => "set this machine's clock right (NTP: timedatectl set-ntp true, or chrony), then run doctor again.",

  'platformClock.ok': (p) => `this machine's clock is ${p.offsetSecs} s from the platform's.`,
  'platformClock.off': (p) => `this machine's clock is ${p.offsetSecs} s from the platform's (warned beyond 60 s; beyond 300 s the platform refuses requests; the gateway signs on the platform's time meanwhile, but the clock still needs setting right).`,
  'platformClock.off.fix': () => "give this machine an NTP time source (timedatectl set-ntp true, or chrony pointed at the department's time server).",
  'platformClock.unknown': () => "the platform's answer did not tell its time: the clocks could not be compared.",
  'platformClock.unknown.fix': () => 'make sure this machine uses NTP.',

  'disk.ok': (p) => `${p.freeMiB} MiB free on the disk of ${p.dataDir} (floor store.minFreeMiB ${p.minFreeMiB} MiB); the store uses ${p.storeMiB} MiB.`,
  'disk.okCap': (p) => `${p.freeMiB} MiB free on the disk of ${p.dataDir} (floor ${p.minFreeMiB} MiB); the store uses ${p.storeMiB} MiB of store.maxSizeMiB ${p.maxSizeMiB} MiB.`,
  'disk.low': (p) => `only ${p.freeMiB} MiB free on the disk of ${p.dataDir}, below store.minFreeMiB (${p.minFreeMiB} MiB): the gateway pauses reading (delivery goes on).`,
  'disk.low.fix': () => 'free space on that disk or enlarge it; reading resumes by itself. Or lower store.minFreeMiB.',
  'disk.tight': (p) => `only ${p.freeMiB} MiB free on the disk of ${p.dataDir}, close to the floor where reading pauses (${p.minFreeMiB} MiB, plus ${p.reserveMiB} MiB reserve).`,
  'disk.cap': (p) => `the store uses ${p.storeMiB} MiB, at store.maxSizeMiB (${p.maxSizeMiB} MiB): reading pauses until the platform takes what is queued.`,
  'disk.cap.fix': () => 'check first that the platform takes deliveries (see the platform check); with room on the disk, raise store.maxSizeMiB.',
  'disk.nearCap': (p) => `the store uses ${p.storeMiB} MiB, close to store.maxSizeMiB (${p.maxSizeMiB} MiB).`,

  'store.ok': (p) => `the store in ${p.dataDir} is whole (quick_check ok); ${p.pending} records waiting to be sent.`,
  'store.notYet': (p) => `no store in ${p.dataDir} yet: the first start makes it.`,
  'store.lost': (p) => `the store is lost or emptied (${p.code}): ${p.detail}`,
  'store.damaged': (p) => `the store file is damaged (${p.code}): ${p.detail}`,
  'store.replaced': (p) => `the store file is not the one this data folder last used (${p.code}): ${p.detail}`,
  'store.recover.fix': () => 'put the right gateway.sqlite back if you have a backup; otherwise stop the gateway and run credit-gateway store recover --config FILE (the file found is kept aside, the new store continues the seqs, every job reads its source again, nothing is lost).',
  'store.unreadable': (p) => `the data folder ${p.dataDir} cannot be read: ${p.detail}`,
  'store.unreadable.fix': () => "run doctor as the gateway's service user (credit-gateway) or root, e.g. sudo -u credit-gateway credit-gateway doctor --config FILE.",

  'storePrivacy.ok': (p) => `${p.dataDir} is private to the gateway user (folder 700, files 600).`,
  'storePrivacy.loose': (p) => `other users can reach: ${p.files}. The gateway refuses to start.`,
  'storePrivacy.loose.fix': (p) => `as the gateway user run: ${p.commands}`,

  'service.systemdActive': (p) => `the systemd service ${p.unit} is running.`,
  'service.systemdFailed': (p) => `the systemd service ${p.unit} has failed.`,
  'service.systemdFailed.fix': (p) => `read why with journalctl -u ${p.unit} -n 100, fix it, then systemctl restart ${p.unit}.`,
  'service.systemdInactive': (p) => `the systemd service ${p.unit} is not running (${p.state}).`,
  'service.systemdInactive.fix': (p) => `run systemctl enable --now ${p.unit}, then check with systemctl status ${p.unit}.`,
  'service.running': (p) => `a gateway runs (process ${p.pid}, ${p.command}, since ${p.since}); its status page ${p.page} answers.`,
  'service.runningNoPage': (p) => `a gateway runs (process ${p.pid}, ${p.command}, since ${p.since}); its status page does not answer or is off.`,
  'service.stopped': () => 'no gateway runs (no process holds the data folder).',
  'service.stopped.fix': () => 'run credit-gateway start --config FILE (or start the service as the install notes say).',

  'version.ok': (p) => `software ${p.software}, store version ${p.store} (this build's); installed: current ${p.current}, previous ${p.previous}.`,
  'version.noStore': (p) => `software ${p.software}; no store yet (this build's store version is ${p.build}).`,
  'version.storeOlder': (p) => `software ${p.software}; store version ${p.store} is older than this build's ${p.build}: the next start migrates it.`,
  'version.storeOlder.fix': () => 'nothing to do: the store is backed up before it is migrated. To keep one of your own first: credit-gateway store backup FILE.',
  'version.storeNewer': (p) => `store version ${p.store} is newer than ${p.build}, the newest this software (${p.software}) knows: a newer release wrote it, and this one must not use it.`,
  'version.storeNewer.fix': (p) => `use the newer release that wrote it (installed: current ${p.current}, previous ${p.previous}, under /opt/credit-gateway/); do not start this older one on it.`,
};

export type Lang = 'zh' | 'en';

export function say(lang: Lang, key: MessageKey, params: P = {}): string {
  return (lang === 'en' ? EN : ZH)[key](params);
}
