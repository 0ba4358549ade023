import { writeXlsx } from '../../xlsx/xlsx.js';
import type { attendeeRows } from './activities.service.js';

type Row = Awaited<ReturnType<typeof attendeeRows>>['rows'][number];

const RSVP_ZH = { pending: '未回复', accepted: '接受', declined: '婉拒' } as const;

/** Beijing wall-clock time, as the team reads it on the door list. */
function beijing(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

/** An event's invitees with reply and check-in, one row per person (参会名单). */
export async function attendeesWorkbook(rows: readonly Row[]): Promise<Buffer> {
  async function* flat() {
    for (const r of rows)
      yield {
        name: r.name,
        title: r.title,
        phone: r.phone,
        rsvp: RSVP_ZH[r.rsvp],
        attended: r.checkedInAt ? '已签到' : '未签到',
        checkedInAt: r.checkedInAt ? beijing(r.checkedInAt) : null,
        method: r.checkInMethod === 'qr' ? '扫码' : r.checkInMethod === 'manual' ? '手工' : null,
        by: r.checkedInBy,
      };
  }
  return writeXlsx(
    '参会名单',
    [
      { header: '姓名', key: 'name', width: 10 },
      { header: '职务', key: 'title', width: 14 },
      { header: '手机号', key: 'phone', width: 14 },
      { header: '回复', key: 'rsvp', width: 8 },
      { header: '签到', key: 'attended', width: 8 },
      { header: '签到时间', key: 'checkedInAt', width: 20 },
      { header: '签到方式', key: 'method', width: 8 },
      { header: '签到人', key: 'by', width: 10 },
    ],
    flat(),
  );
}
