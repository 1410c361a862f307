import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { opsApi, type ArchivedReportDto } from '../api/ops-endpoints.js';
import { actionState } from './action-state.js';

export type ReportLang = 'zh' | 'en';

/** The report archive (each file with its SHA-256), issuing a month into it, and download addresses. */
export const useReportsStore = defineStore('reports', () => {
  const archive = ref<ArchivedReportDto[]>([]);
  const loaded = ref(false);
  const { busy, failure, run, read } = actionState();
  /** Newest first: the version just issued on top. */
  const newestFirst = computed(() => [...archive.value].sort((a, b) => b.id - a.id));

  async function load(): Promise<void> {
    const list = await read(() => opsApi.reportArchive());
    if (list) {
      archive.value = list;
      loaded.value = true;
    }
  }

  async function issue(month: string, lang: ReportLang): Promise<ArchivedReportDto[] | null> {
    const out = await run(() => opsApi.issueReport(month, lang));
    if (out) await load();
    return out?.reports ?? null;
  }

  return {
    archive,
    newestFirst,
    loaded,
    busy,
    failure,
    load,
    issue,
    fileUrl: opsApi.archivedFileUrl,
    monthlyUrl: opsApi.monthlyUrl,
    rangeUrl: opsApi.rangeUrl,
  };
});
