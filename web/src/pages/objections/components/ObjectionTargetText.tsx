import { Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Objection } from '../../../api/objections';
import { useI18n } from '../../../locales';

/** 部门：公司业务部（CORP） / 人员：张三（44110023） / 销售：FS-… */
export function ObjectionTargetText({ objection: o }: { objection: Objection }) {
  const { t } = useI18n();
  const kind = <Typography.Text type="secondary">{t(`objection.kindLabel.${o.targetKind}`)}</Typography.Text>;
  if (o.targetKind === 'sale' && o.sale)
    return (
      <span>
        {kind}
        <Link to={`/sales/${o.sale.id}`}>{o.sale.sourceId}</Link>
      </span>
    );
  if (o.targetKind === 'person' && o.person)
    return (
      <span>
        {kind}
        {`${o.person.name}（${o.person.staffNo}）`}
        {o.department ? ` · ${o.department.name}` : ''}
      </span>
    );
  return (
    <span>
      {kind}
      {o.department ? `${o.department.name}（${o.department.code}）` : '-'}
    </span>
  );
}
