/** An ISO instant as Beijing time, as every page shows times. */
const FMT = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
export const shanghai = (iso: string): string => FMT.format(new Date(iso));
