import { Alert, Empty, Select, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useMe } from '../../../../api/auth';
import type { Company360 } from '../../../../api/customers';
import { useAllDepartments, useOrgNodes } from '../../../../api/org';
import { TARGET_DEPT_KINDS, type TargetDeptKind, useEvaluation } from '../../../../api/targets';
import { accessOf } from '../../../../access';
import { useI18n } from '../../../../locales';
import { EvaluationTable } from '../../../targets/components/EvaluationTable';

/**
 * 名单资格: which Article 9 criteria the company meets for a corporate department of its branch
 * (GET /api/targets/evaluation), by default the department that manages it.
 */
export function EligibilityPanel({ company }: { company: Company360 }) {
  const { t, pick } = useI18n();
  const { data: me } = useMe();
  const access = accessOf(me);
  const nodes = useOrgNodes();
  const departments = useAllDepartments();

  // The target-list departments (公司业务部 / 机构业务部 / 房地产信贷部) of branches above the client.
  const options = useMemo(() => {
    const byId = new Map((nodes.data ?? []).map((n) => [n.id, n]));
    const path = byId.get(company.nodeId)?.path ?? '';
    return (departments.data ?? [])
      .filter((d) => d.active && TARGET_DEPT_KINDS.includes(d.kind as TargetDeptKind) && path.startsWith(byId.get(d.nodeId)?.path ?? '\u0000'))
      .map((d) => ({ value: d.id, label: `${d.name} · ${byId.get(d.nodeId)?.name ?? ''}` }));
  }, [nodes.data, departments.data, company.nodeId]);

  const [deptId, setDeptId] = useState<number | undefined>();
  useEffect(() => {
    if (deptId || !options.length) return;
    setDeptId(options.find((o) => o.value === company.departmentId)?.value ?? options[0].value);
  }, [options, deptId, company.departmentId]);

  const evaluation = useEvaluation(company.id, deptId, undefined, true);

  if (departments.isLoading || nodes.isLoading) return <Spin />;
  if (!options.length) return <Empty description={t('target.noTargetDepartment')} />;
  const metNames = (evaluation.data?.results ?? []).filter((r) => r.met);

  return (
    <div data-testid="eligibility-panel">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text>{t('target.nominatingDepartment')}</Typography.Text>
        <Select style={{ minWidth: 260 }} value={deptId} onChange={setDeptId} options={options} />
        {evaluation.data ? <Typography.Text type="secondary">{t('target.evaluatedOn', { on: evaluation.data.on })}</Typography.Text> : null}
        {access.canNominate ? <Link to={`/targets/nominate?companyId=${company.id}${deptId ? `&departmentId=${deptId}` : ''}`}>{t('target.goNominate')}</Link> : null}
      </Space>
      {evaluation.error ? (
        <Alert type="warning" showIcon message={(evaluation.error as Error).message} />
      ) : evaluation.isLoading || !evaluation.data ? (
        <Spin />
      ) : (
        <>
          <Alert
            style={{ marginBottom: 12 }}
            type={metNames.length ? 'success' : 'info'}
            showIcon
            message={
              metNames.length ? (
                <Space wrap size={[4, 4]}>
                  {t('target.meetsN', { n: metNames.length })}
                  {metNames.map((r) => (
                    <Tag key={r.code} color="green">
                      {pick(r.nameZh, r.nameEn)}
                    </Tag>
                  ))}
                </Space>
              ) : (
                t('target.meetsNone')
              )
            }
          />
          <EvaluationTable results={evaluation.data.results} />
        </>
      )}
    </div>
  );
}
