import { TranslationOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useI18n } from '../locales';

/** One click between 中文 and English; the button names the language it switches to. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <Button type="text" size="small" icon={<TranslationOutlined />} data-testid="lang-switch" title={t('header.language')} onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
      {lang === 'en' ? '中文' : 'English'}
    </Button>
  );
}
